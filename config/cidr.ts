/** IPv4 CIDR arithmetic and the automatic subnet layout. Pure functions, no dependencies. */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

/** Subnet CIDRs per tier, index i = availability zone i. */
export interface SubnetLayout {
  readonly public: readonly string[];
  readonly app: readonly string[];
  readonly data: readonly string[];
}

/** The largest VPC and the smallest subnet AWS allows (Amazon VPC User Guide, "VPC CIDR blocks"). */
export const AWS_LARGEST_VPC_PREFIX = 16;
export const AWS_SMALLEST_SUBNET_PREFIX = 28;
/** How much smaller than the VPC the layout's subnets are: app subnets a quarter, public and data a 32nd. */
export const APP_SUBNET_BITS = 2;
export const SMALL_SUBNET_BITS = 5;
/**
 * VPC prefixes the layout supports, derived from it: from the largest VPC AWS allows to the smallest whose
 * public and data subnets are still the smallest subnet AWS allows (/23 → /28).
 */
export const MIN_VPC_PREFIX = AWS_LARGEST_VPC_PREFIX;
export const MAX_VPC_PREFIX = AWS_SMALLEST_SUBNET_PREFIX - SMALL_SUBNET_BITS;
/** The layout has room for this many availability zones. */
export const MAX_AZS = 3;

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses `a.b.c.d/p`; returns undefined when it is not a well-formed IPv4 CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5);
  if (!octets.every((o) => OCTET.test(o))) return undefined;
  const prefix = Number(match[5]);
  if (!/^(3[0-2]|[12]?\d)$/.test(match[5])) return undefined;
  const network = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
  return { network, prefix };
}

export function formatCidr(cidr: Cidr): string {
  const n = cidr.network;
  return `${Math.floor(n / 2 ** 24) % 256}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 2 ** 8) % 256}.${n % 256}/${cidr.prefix}`;
}

function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** True when the address bits right of the prefix are all zero. */
export function isNetworkAligned(cidr: Cidr): boolean {
  return cidr.network % blockSize(cidr.prefix) === 0;
}

/** `outer` contains `inner` entirely. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.network >= outer.network &&
    inner.network + blockSize(inner.prefix) <= outer.network + blockSize(outer.prefix)
  );
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + blockSize(b.prefix) && b.network < a.network + blockSize(a.prefix);
}

/** The `index`-th block of size /`newPrefix` inside `parent`. */
export function subnet(parent: Cidr, newPrefix: number, index: number): Cidr {
  return { network: parent.network + index * blockSize(newPrefix), prefix: newPrefix };
}

/** RFC 1918 private ranges, the only ones we put a VPC in. */
export const PRIVATE_RANGES: readonly Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c) as Cidr);

/**
 * Carves the VPC into three tiers for `azCount` zones. The VPC is cut in quarters: the first three
 * quarters are the app subnets (where instances live and scale); the last quarter is cut in eight,
 * public subnets take blocks 0–2 and data subnets blocks 4–7's first three. For a /16: app /18 (16 382
 * usable addresses each), public and data /21 (2 043 each).
 */
export function planSubnets(vpc: Cidr, azCount: number): SubnetLayout {
  if (vpc.prefix < MIN_VPC_PREFIX || vpc.prefix > MAX_VPC_PREFIX || azCount > MAX_AZS) {
    throw new RangeError(
      `planSubnets: a /${vpc.prefix} VPC over ${azCount} zones is outside the layout (/${MIN_VPC_PREFIX}–/${MAX_VPC_PREFIX}, at most ${MAX_AZS} zones)`,
    );
  }
  const appPrefix = vpc.prefix + APP_SUBNET_BITS;
  const smallPrefix = vpc.prefix + SMALL_SUBNET_BITS;
  const lastQuarter = subnet(vpc, appPrefix, 3);
  const zones = Array.from({ length: azCount }, (_, i) => i);
  return {
    app: zones.map((i) => formatCidr(subnet(vpc, appPrefix, i))),
    public: zones.map((i) => formatCidr(subnet(lastQuarter, smallPrefix, i))),
    data: zones.map((i) => formatCidr(subnet(lastQuarter, smallPrefix, 4 + i))),
  };
}
