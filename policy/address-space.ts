/**
 * IPv4 and IPv6 CIDRs as address ranges, and how much of the internet a set of them reaches: what the
 * security group rules count as open. A CIDR is read as a number, however it is spelled (`0.0.0.0/00`,
 * `0::0/0`, `0:0:0:0:0:0:0:0/000` are all the whole space; the provider accepts each of them).
 *
 * **Internet-wide**: the CIDRs, taken together, cover more public addresses than an IPv4 /8 (16,777,216, the
 * largest block ever assigned to one organisation) or an IPv6 /16 (65,536 times a /32, the allocation of a
 * whole network operator). Public means outside the ranges a VPC, a peered or on-premises network or the host
 * itself uses (`PRIVATE`). So `0.0.0.0/0` is, and so are `0.0.0.0/1` with `128.0.0.0/1`, `::/1`, `8000::/1`
 * or any split of the space into smaller blocks; `10.0.0.0/8`, an office's /24 or a partner's /16 are not.
 */

/** Addresses `start` (included) to `end` (excluded) of one family. */
export interface AddressRange {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly end: bigint;
}

const BITS = { 4: 32, 6: 128 } as const;

/** More public addresses than this, per family, are the internet (see the module comment). */
export const INTERNET_WIDE = { 4: 2n ** 24n, 6: 2n ** 112n } as const;

function ipv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return undefined;
  return octets.reduce((n, o) => (n << 8n) | BigInt(o), 0n);
}

function ipv6(text: string): bigint | undefined {
  let head = text;
  let tail: bigint | undefined;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail = ipv4(dotted[2]);
    if (tail === undefined) return undefined;
    head = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  if (!groups.flat().every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const wanted = tail === undefined ? 8 : 6;
  const count = groups.flat().length;
  if (halves.length === 1 ? count !== wanted : count > wanted - 1) return undefined;
  const all = halves.length === 1 ? groups[0] : [...groups[0], ...Array<string>(wanted - count).fill('0'), ...groups[1]];
  const value = all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
  return tail === undefined ? value : (value << 32n) | tail;
}

/** The range of `cidr` (host bits ignored); undefined when it is no CIDR of either family. */
export function parseCidr(cidr: string): AddressRange | undefined {
  const match = /^([^/]+)\/(\d+)$/.exec(cidr.trim());
  if (!match) return undefined;
  const family = match[1].includes(':') ? 6 : 4;
  const address = family === 4 ? ipv4(match[1]) : ipv6(match[1]);
  const prefix = Number(match[2]);
  if (address === undefined || prefix > BITS[family]) return undefined;
  const size = 1n << BigInt(BITS[family] - prefix);
  const start = address - (address % size);
  return { family, start, end: start + size };
}

const range = (cidr: string) => parseCidr(cidr) as AddressRange;

/**
 * Ranges that are not the internet: "this network", RFC 1918, shared address space (RFC 6598), loopback,
 * link-local; IPv6 unspecified and loopback, unique local (fc00::/7), link-local.
 */
export const PRIVATE: readonly AddressRange[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::/127',
  'fc00::/7',
  'fe80::/10',
].map(range);

/** `ranges` of one family merged: sorted, overlaps and neighbours joined. */
function union(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: AddressRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) merged[merged.length - 1] = { ...last, end: r.end > last.end ? r.end : last.end };
    else merged.push(r);
  }
  return merged;
}

/** Public addresses (outside PRIVATE) in `ranges` of `family`, each counted once. */
export function publicAddresses(ranges: readonly AddressRange[], family: 4 | 6): bigint {
  const covered = union(ranges.filter((r) => r.family === family));
  const privateRanges = union(PRIVATE.filter((r) => r.family === family));
  let total = 0n;
  for (const r of covered) {
    total += r.end - r.start;
    for (const p of privateRanges) {
      const start = p.start > r.start ? p.start : r.start;
      const end = p.end < r.end ? p.end : r.end;
      if (start < end) total -= end - start;
    }
  }
  return total;
}

/** True when `cidr` is only known at apply time or is no CIDR: it cannot be proven narrower than the internet. */
export const isUnknownCidr = (cidr: string): boolean => cidr.includes('${') || parseCidr(cidr) === undefined;

/** True when `cidr` reaches at least one public address (or is unknown). */
export function reachesPublic(cidr: string): boolean {
  if (isUnknownCidr(cidr)) return true;
  const r = range(cidr);
  return publicAddresses([r], r.family) > 0n;
}

/** True when `cidrs` together are internet-wide (see the module comment), or one of them is unknown. */
export function coversInternet(cidrs: readonly string[]): boolean {
  if (cidrs.some(isUnknownCidr)) return true;
  const ranges = cidrs.map(range);
  return ([4, 6] as const).some((family) => publicAddresses(ranges, family) > INTERNET_WIDE[family]);
}
