/**
 * Request parameters of a recorded call, in the encodings Terraform's SDK sends: form-encoded query
 * protocol bodies (EC2, IAM, RDS, ELB, Auto Scaling, SNS, CloudWatch, STS), JSON bodies with an
 * X-Amz-Target header (KMS, CloudWatch Logs, WAFV2, ECR, ACM, Secrets Manager, SSM), REST paths, query
 * strings and XML bodies (S3, Route 53, CloudFront) — and the request tags in each service's own shape.
 */

/** Form or query-string parameters by name (`TagSpecification.1.Tag.1.Key`…). */
export type FormParams = ReadonlyMap<string, string>;

/** Parses an `application/x-www-form-urlencoded` body (empty map for anything else). */
export function formParams(body: string): FormParams {
  if (!/^[A-Za-z][A-Za-z0-9.]*=/.test(body)) return new Map();
  return new Map(new URLSearchParams(body));
}

/** The query-string parameters of a URL. */
export function queryParams(url: string): FormParams {
  try {
    return new Map(new URL(url).searchParams);
  } catch {
    return new Map();
  }
}

/** The decoded, non-empty path segments of a URL. */
export function pathSegments(url: string): string[] {
  try {
    return new URL(url).pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return [];
  }
}

/** The JSON body as an object; `{}` for an empty or non-JSON body. */
export function jsonBody(body: string): Record<string, any> {
  if (!body.startsWith('{')) return {};
  try {
    const parsed = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, any>) : {};
  } catch {
    return {};
  }
}

/**
 * The values of a numbered list parameter, in order: `list(p, 'SubnetId')` reads `SubnetId.1`,
 * `SubnetId.2`…; `list(p, 'Subnets.member')` reads `Subnets.member.1`…
 */
export function listParam(p: FormParams, prefix: string): string[] {
  const out: [number, string][] = [];
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)$`);
  for (const [name, value] of p) {
    const m = re.exec(name);
    if (m) out.push([Number(m[1]), value]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Decodes the five XML entities and numeric references. */
export function decodeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text of every `<tag>…</tag>` element (no nesting inside), decoded. */
export function xmlValues(xml: string, tag: string): string[] {
  const re = new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g');
  return [...xml.matchAll(re)].map((m) => decodeXml(m[1]));
}

/** The text of the first `<tag>…</tag>` element, if any. */
export function xmlValue(xml: string, tag: string): string | undefined {
  return xmlValues(xml, tag)[0];
}

/** The inner XML of every `<tag>…</tag>` element (for repeated structures such as `<Change>`). */
export function xmlBlocks(xml: string, tag: string): string[] {
  const re = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1]);
}

/** Tags, key → value. */
export type Tags = Readonly<Record<string, string>>;

/**
 * Tags of the query protocol's numbered key/value lists: `prefix.N.Key` / `prefix.N.Value`
 * (`Tags.member` for IAM, ELB, SNS, CloudWatch, Auto Scaling; `Tags.Tag` for RDS; `Tag` for EC2 CreateTags).
 */
export function memberTags(p: FormParams, prefix: string): Tags | undefined {
  const keys = new Map<number, string>();
  const values = new Map<number, string>();
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.(Key|Value)$`);
  for (const [name, value] of p) {
    const m = re.exec(name);
    if (m) (m[2] === 'Key' ? keys : values).set(Number(m[1]), value);
  }
  if (keys.size === 0) return undefined;
  return Object.fromEntries([...keys].sort((a, b) => a[0] - b[0]).map(([n, k]) => [k, values.get(n) ?? '']));
}

/**
 * EC2 tag specifications, by the resource type they tag (`vpc`, `subnet`, `security-group-rule`…):
 * `TagSpecification.N.ResourceType` with `TagSpecification.N.Tag.M.Key/Value`. `prefix` reads nested
 * specifications such as `LaunchTemplateData.TagSpecification` (the tags of instances a template launches).
 */
export function ec2TagSpecifications(p: FormParams, prefix = 'TagSpecification'): Map<string, Tags> {
  const out = new Map<string, Tags>();
  const esc = prefix.replace(/\./g, '\\.');
  const typeRe = new RegExp(`^${esc}\\.(\\d+)\\.ResourceType$`);
  for (const [name, type] of p) {
    const m = typeRe.exec(name);
    if (!m) continue;
    const tags = memberTags(p, `${prefix}.${m[1]}.Tag`) ?? {};
    out.set(type, { ...(out.get(type) ?? {}), ...tags });
  }
  return out;
}

/** Tags of a JSON list of `{Key, Value}` (or `{TagKey, TagValue}` for KMS) objects. */
export function jsonListTags(list: unknown, keyField = 'Key', valueField = 'Value'): Tags | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return Object.fromEntries(list.map((t: any) => [String(t?.[keyField] ?? ''), String(t?.[valueField] ?? '')]));
}

/** Tags of a JSON map (`{"Project": "web"}`, CloudWatch Logs). */
export function jsonMapTags(map: unknown): Tags | undefined {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return undefined;
  const entries = Object.entries(map as Record<string, unknown>);
  return entries.length === 0 ? undefined : Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
}

/** Tags of an S3 / CloudFront XML `<Tag><Key>…</Key><Value>…</Value></Tag>` list. */
export function xmlTags(xml: string): Tags | undefined {
  const tags = xmlBlocks(xml, 'Tag').map((t) => [xmlValue(t, 'Key') ?? '', xmlValue(t, 'Value') ?? ''] as const);
  return tags.length === 0 ? undefined : Object.fromEntries(tags);
}
