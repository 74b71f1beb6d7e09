/**
 * What a request meets on its way in, read from a synthesized stack: the front-end's edge web ACL, the
 * distribution's cache behaviours and origins, the load balancer's reachability (scheme, security group), its web
 * ACL and its listener rules. A small evaluator of the rule shapes the stacks generate, written from AWS's
 * documented semantics, so that tests can send requests (through a front-end, or straight at the load balancer)
 * and see where each one ends — not string matches on the JSON.
 *
 * It refuses what it does not model (an unknown statement, condition, action or origin shape throws), so a new
 * shape in the stacks cannot pass a test by being ignored. Modelled behaviour, with its source:
 *
 * - Web ACL: rules in priority order, the first terminating action wins, else the default action (WAF Developer
 *   Guide, "How AWS WAF processes a web ACL"). A CLOUDFRONT-scope web ACL sees the viewer's address; a REGIONAL one
 *   in front of the load balancer sees the address the connection comes from — CloudFront's, behind the edge.
 * - IP set match: the request's address, or with `ip_set_forwarded_ip_config` the FIRST, LAST or ANY address of
 *   that header; a request without the header does not match ("AWS WAF doesn't apply the rule to the request at
 *   all", WAF Developer Guide, "Forwarded IP address").
 * - Rate-based statements count requests per aggregation key (`IP`: the address the web ACL sees;
 *   `FORWARDED_IP`: the header's first address) over the evaluator's lifetime, one window, and match once a key's
 *   count exceeds the limit.
 * - Managed groups are modelled by what they inspect: the IP reputation and anonymous IP lists the address the web
 *   ACL sees ("These rules use the source IP address from the web request origin", WAF Developer Guide, "IP
 *   reputation rule groups"), against the lists a test gives; the core rule set and known bad inputs the request's
 *   own content, which CloudFront passes on unchanged (a request marked `exploit`).
 * - Byte match: text transformations in priority order (URL_DECODE, NORMALIZE_PATH, NORMALIZE_PATH_WIN,
 *   LOWERCASE), then the positional constraint.
 * - CloudFront: the first ordered cache behaviour whose path pattern matches (case-sensitive, `*` any run of
 *   characters, `?` one), else the default. To the API origin it sends every viewer header but Host (managed
 *   AllViewerExceptHostHeader), its custom origin headers overwriting a viewer's header of the same name ("If a
 *   header is present, CloudFront overwrites the header value", "Add custom headers to origin requests"), and
 *   X-Forwarded-For with the viewer's address appended. Through a VPC origin the connection reaches the load
 *   balancer from CloudFront's origin-facing addresses (the managed prefix list admits it: "Restrict access with
 *   VPC origins"). The evaluator does not normalize the path: AWS documents no normalization at either hop.
 * - Load balancer: an internal one has no public address, so nothing outside the VPC reaches it; its security
 *   groups admit by CIDR, prefix list or peer group; listener rules in priority order, all conditions of a rule
 *   must hold: path pattern case-sensitive on the path only, HTTP header name and value case-insensitive, host
 *   case-insensitive, source IP by CIDR; the first match's action, else the default action. It appends the
 *   connecting address to X-Forwarded-For before it forwards (the default "append" mode).
 */
import { CLOUDFRONT_MANAGED_POLICIES, CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS } from '../../config/catalog';
import { contains, parseCidr } from '../../config/cidr';
import type { StackJson } from './synth';

/** An address in CloudFront's origin-facing ranges (130.176.0.0/16 is one of them), for connections from the edge. */
export const CLOUDFRONT_ORIGIN_ADDRESS = '130.176.8.17';

export interface Request {
  /** A front-end's name (through its distribution), or `direct` (straight at the load balancer). */
  readonly via: string;
  /** The client's own address (a viewer's, or a host in the VPC for `direct`). */
  readonly clientIp: string;
  readonly path: string;
  readonly method?: string;
  /** Headers the client sends (names in any case). */
  readonly headers?: Readonly<Record<string, string>>;
  /** `direct` from inside the VPC: the security group the client's network interface carries (resource name). */
  readonly sourceGroup?: string;
  /** `direct`: the listener port. @default 443 with an HTTPS listener, else 80 */
  readonly port?: number;
  /** The request carries an exploit the content-inspecting managed groups recognise. */
  readonly exploit?: boolean;
}

/** Where a request ended. */
export type Outcome =
  | { readonly at: 'edge-waf' | 'regional-waf'; readonly status: 403; readonly rule: string }
  | { readonly at: 'files'; readonly status: 200; readonly origin: string }
  | { readonly at: 'unreachable'; readonly reason: string }
  | { readonly at: 'listener'; readonly status: number; readonly rule: string }
  | { readonly at: 'app'; readonly rule: string; readonly headers: Readonly<Record<string, string>> };

/** Addresses the managed IP lists hold, for a test's world. */
export interface IpLists {
  readonly reputation?: readonly string[];
  readonly anonymous?: readonly string[];
}

type Json = Record<string, any>;
type Headers = Record<string, string>;

const lower = (headers: Readonly<Record<string, string>> = {}): Headers =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** `${aws_x.name.attr}` → [type, name]. */
function refOf(value: unknown): [string, string] | undefined {
  const m = typeof value === 'string' ? /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(value) : null;
  return m ? [m[1], m[2]] : undefined;
}

const blocks = (v: unknown): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** A glob of `*` (any run) and `?` (one character), whole-string. */
function glob(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${re}$`, caseInsensitive ? 'i' : '').test(value);
}

function inCidr(ip: string, cidr: string): boolean {
  const net = parseCidr(cidr);
  const host = parseCidr(`${ip}/32`);
  if (!net || !host) throw new Error(`not an IPv4 address or CIDR: ${ip} in ${cidr}`);
  return contains(net, host);
}

/** WAF's text transformations we use. */
function transform(type: string, text: string): string {
  switch (type) {
    case 'NONE':
      return text;
    case 'LOWERCASE':
      return text.toLowerCase();
    case 'URL_DECODE':
      return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    case 'NORMALIZE_PATH_WIN':
      return transform('NORMALIZE_PATH', text.replace(/\\/g, '/'));
    case 'NORMALIZE_PATH': {
      // "Remove multiple slashes, directory self-references, and directory back-references that are not at the
      // beginning of the input" (WAF Developer Guide, "Text transformations").
      const out: string[] = [];
      const parts = text.replace(/\/{2,}/g, '/').split('/');
      parts.forEach((part, i) => {
        if (part === '.' && i > 0) return;
        if (part === '..' && out.length > 1) out.pop();
        else out.push(part);
      });
      return out.join('/');
    }
    default:
      throw new Error(`text transformation ${type} is not modelled`);
  }
}

/** One web ACL, with the state of its rate-based rules. */
class WebAcl {
  private readonly counts = new Map<string, number>();
  constructor(
    private readonly stack: StackJson,
    readonly name: string,
    private readonly acl: Json,
    private readonly lists: IpLists,
  ) {}

  /** The terminating rule that blocks, or undefined when the request is allowed. */
  evaluate(ip: string, request: { path: string; headers: Headers; exploit: boolean; query?: string }): string | undefined {
    const rules = [...blocks(this.acl.rule)].sort((a, b) => a.priority - b.priority);
    for (const rule of rules) {
      const matched = this.statement(rule.statement, ip, request, rule.name);
      if (!matched) continue;
      if (rule.override_action !== undefined) {
        // A managed group: its rules block what they match (override_action none keeps their actions).
        if (rule.override_action.none === undefined)
          throw new Error(`override action ${JSON.stringify(rule.override_action)} is not modelled`);
        return rule.name;
      }
      if (rule.action?.block !== undefined) return rule.name;
      if (rule.action?.allow !== undefined) return undefined;
      if (rule.action?.count !== undefined) continue;
      throw new Error(`rule action ${JSON.stringify(rule.action)} is not modelled`);
    }
    if (this.acl.default_action?.allow !== undefined) return undefined;
    if (this.acl.default_action?.block !== undefined) return 'default';
    throw new Error(`default action ${JSON.stringify(this.acl.default_action)} is not modelled`);
  }

  private forwarded(config: Json | undefined, headers: Headers): string[] | undefined {
    if (config === undefined) return undefined;
    const value = headers[String(config.header_name).toLowerCase()];
    if (value === undefined) return [];
    return value.split(',').map((a) => a.trim());
  }

  private statement(
    s: Json,
    ip: string,
    request: { path: string; headers: Headers; exploit: boolean; query?: string },
    rule: string,
  ): boolean {
    const keys = Object.keys(s);
    if (keys.length !== 1) throw new Error(`statement ${JSON.stringify(s)} has ${keys.length} kinds`);
    const [kind] = keys;
    const body = s[kind];
    switch (kind) {
      case 'not_statement':
        return !this.statement(body.statement, ip, request, rule);
      case 'and_statement':
        return blocks(body.statement).every((x) => this.statement(x, ip, request, rule));
      case 'or_statement':
        return blocks(body.statement).some((x) => this.statement(x, ip, request, rule));
      case 'ip_set_reference_statement': {
        const ref = refOf(body.arn);
        const set = ref && ref[0] === 'aws_wafv2_ip_set' ? this.stack.resource.aws_wafv2_ip_set?.[ref[1]] : undefined;
        if (!set) throw new Error(`IP set ${body.arn} not found`);
        const config = body.ip_set_forwarded_ip_config;
        const addresses = this.forwarded(config, request.headers);
        if (addresses !== undefined && addresses.length === 0) return false; // no header: the rule does not apply
        const candidates =
          addresses === undefined
            ? [ip]
            : config.position === 'FIRST'
              ? addresses.slice(0, 1)
              : config.position === 'LAST'
                ? addresses.slice(-1)
                : addresses.slice(-10);
        return candidates.some((a) => (set.addresses as string[]).some((cidr) => inCidr(a, cidr)));
      }
      case 'rate_based_statement': {
        if (body.scope_down_statement !== undefined && !this.statement(body.scope_down_statement, ip, request, rule)) return false;
        let key: string;
        if (body.aggregate_key_type === 'IP') key = ip;
        else if (body.aggregate_key_type === 'FORWARDED_IP') {
          const addresses = this.forwarded(body.forwarded_ip_config, request.headers);
          if (!addresses || addresses.length === 0) return false;
          key = addresses[0];
        } else throw new Error(`rate-based aggregate key ${body.aggregate_key_type} is not modelled`);
        const id = `${rule} ${key}`;
        const count = (this.counts.get(id) ?? 0) + 1;
        this.counts.set(id, count);
        return count > Number(body.limit);
      }
      case 'managed_rule_group_statement':
        switch (body.name) {
          case 'AWSManagedRulesAmazonIpReputationList':
            return (this.lists.reputation ?? []).includes(ip);
          case 'AWSManagedRulesAnonymousIpList':
            return (this.lists.anonymous ?? []).includes(ip);
          case 'AWSManagedRulesCommonRuleSet':
          case 'AWSManagedRulesKnownBadInputsRuleSet':
            return request.exploit;
          default:
            throw new Error(`managed group ${body.name} is not modelled`);
        }
      case 'byte_match_statement': {
        const field = body.field_to_match ?? {};
        let text: string | undefined;
        if (field.uri_path !== undefined) text = request.path;
        else if (field.query_string !== undefined) text = request.query ?? '';
        else if (field.single_header !== undefined) text = request.headers[String(field.single_header.name).toLowerCase()];
        else throw new Error(`field to match ${JSON.stringify(field)} is not modelled`);
        if (text === undefined) return false;
        for (const t of [...blocks(body.text_transformation)].sort((a, b) => a.priority - b.priority)) text = transform(t.type, text);
        const search = String(body.search_string);
        switch (body.positional_constraint) {
          case 'EXACTLY':
            return text === search;
          case 'STARTS_WITH':
            return text.startsWith(search);
          case 'ENDS_WITH':
            return text.endsWith(search);
          case 'CONTAINS':
            return text.includes(search);
          default:
            throw new Error(`positional constraint ${body.positional_constraint} is not modelled`);
        }
      }
      default:
        throw new Error(`statement ${kind} is not modelled`);
    }
  }
}

/** The requests a synthesized stack lets through, and where it stops the others. */
export class RequestEvaluator {
  private readonly acls = new Map<string, WebAcl>();

  constructor(
    private readonly stack: StackJson,
    private readonly lists: IpLists = {},
    /** Leave the edge web ACLs out, to see what the load balancer refuses on its own (defence in depth). */
    private readonly without: { readonly edgeWebAcls?: boolean } = {},
  ) {}

  private of(type: string, name: string): Json {
    const r = this.stack.resource[type]?.[name];
    if (!r) throw new Error(`${type}.${name} not found`);
    return r;
  }

  private byRef(value: unknown, type: string): [string, Json] {
    const ref = refOf(value);
    if (!ref || ref[0] !== type) throw new Error(`${JSON.stringify(value)} is not a reference to ${type}`);
    return [ref[1], this.of(type, ref[1])];
  }

  private acl(name: string): WebAcl {
    if (!this.acls.has(name)) this.acls.set(name, new WebAcl(this.stack, name, this.of('aws_wafv2_web_acl', name), this.lists));
    return this.acls.get(name)!;
  }

  /** The single application load balancer of the stack, by resource name. */
  private loadBalancer(): [string, Json] {
    const all = Object.entries(this.stack.resource.aws_lb ?? {});
    if (all.length !== 1) throw new Error(`expected one load balancer, found ${all.length}`);
    return all[0];
  }

  private vpcCidr(): string {
    const all = Object.values(this.stack.resource.aws_vpc ?? {});
    if (all.length !== 1) throw new Error(`expected one VPC, found ${all.length}`);
    return all[0].cidr_block;
  }

  /** Where `request` ends. */
  evaluate(request: Request): Outcome {
    const headers = lower(request.headers);
    const [path, query] = request.path.split('?', 2);
    if (request.via === 'direct') return this.atLoadBalancer({ ...request, path, query }, headers, request.clientIp, false);
    return this.throughFrontend({ ...request, path, query }, headers);
  }

  private throughFrontend(request: Request & { query?: string }, headers: Headers): Outcome {
    const name = `frontend_${request.via}_distribution`;
    const distribution = this.of('aws_cloudfront_distribution', name);
    // The edge web ACL sees the viewer's own address.
    if (distribution.web_acl_id !== undefined && this.without.edgeWebAcls !== true) {
      const [aclName] = this.byRef(distribution.web_acl_id, 'aws_wafv2_web_acl');
      const blocked = this.acl(aclName).evaluate(request.clientIp, {
        path: request.path,
        headers,
        exploit: request.exploit ?? false,
        query: request.query,
      });
      if (blocked !== undefined) return { at: 'edge-waf', status: 403, rule: blocked };
    }
    const behaviour =
      blocks(distribution.ordered_cache_behavior).find((b) => glob(b.path_pattern, request.path)) ?? distribution.default_cache_behavior;
    const origin = blocks(distribution.origin).find((o) => o.origin_id === behaviour.target_origin_id);
    if (!origin) throw new Error(`${name}: no origin ${behaviour.target_origin_id}`);
    if (origin.origin_access_control_id !== undefined) return { at: 'files', status: 200, origin: origin.origin_id };
    if (behaviour.origin_request_policy_id !== CLOUDFRONT_MANAGED_POLICIES.allViewerExceptHostHeader)
      throw new Error(`${name}: origin request policy ${behaviour.origin_request_policy_id} is not modelled`);
    // Every viewer header but Host; the custom origin headers overwrite the viewer's; X-Forwarded-For gains the viewer.
    const sent: Headers = { ...headers };
    delete sent.host;
    for (const h of blocks(origin.custom_header)) sent[String(h.name).toLowerCase()] = String(h.value);
    sent['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${request.clientIp}` : request.clientIp;
    sent.host = origin.domain_name;
    if (origin.vpc_origin_config !== undefined) {
      const [, vpcOrigin] = this.byRef(origin.vpc_origin_config.vpc_origin_id, 'aws_cloudfront_vpc_origin');
      const config = blocks(vpcOrigin.vpc_origin_endpoint_config)[0];
      const [lbName] = this.byRef(config.arn, 'aws_lb');
      if (lbName !== this.loadBalancer()[0]) throw new Error(`VPC origin targets ${lbName}, not the load balancer`);
      const port = config.origin_protocol_policy === 'https-only' ? Number(config.https_port) : Number(config.http_port);
      return this.atLoadBalancer({ ...request, headers: sent, port }, sent, CLOUDFRONT_ORIGIN_ADDRESS, true);
    }
    throw new Error(`${name}: origin ${origin.origin_id} of this shape is not modelled`);
  }

  /** A connection from `source` (CloudFront's through the VPC origin when `viaVpcOrigin`) at the load balancer. */
  private atLoadBalancer(request: Request & { query?: string }, headers: Headers, source: string, viaVpcOrigin: boolean): Outcome {
    const [lbName, lb] = this.loadBalancer();
    const insideVpc = inCidr(source, this.vpcCidr());
    if (lb.internal === true && !viaVpcOrigin && !insideVpc)
      return { at: 'unreachable', reason: 'the load balancer is internal: it has no public address' };
    const listeners = Object.entries(this.stack.resource.aws_lb_listener ?? {}).filter(
      ([, l]) => refOf(l.load_balancer_arn)?.[1] === lbName,
    );
    const port = request.port ?? (listeners.some(([, l]) => l.protocol === 'HTTPS') ? 443 : 80);
    // Security groups: some ingress rule of one of its groups admits the source on the port.
    const groups = blocks(lb.security_groups).map((g) => refOf(g)?.[1]);
    const admitted = Object.values(this.stack.resource.aws_vpc_security_group_ingress_rule ?? {}).some((rule) => {
      if (!groups.includes(refOf(rule.security_group_id)?.[1])) return false;
      if (!(Number(rule.from_port) <= port && port <= Number(rule.to_port))) return false;
      if (rule.cidr_ipv4 !== undefined) return inCidr(source, rule.cidr_ipv4);
      if (rule.prefix_list_id !== undefined)
        return Object.values(CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS).includes(rule.prefix_list_id) && source === CLOUDFRONT_ORIGIN_ADDRESS;
      if (rule.referenced_security_group_id !== undefined) return refOf(rule.referenced_security_group_id)?.[1] === request.sourceGroup;
      throw new Error(`ingress rule ${JSON.stringify(rule)} is not modelled`);
    });
    if (!admitted)
      return { at: 'unreachable', reason: `no ingress rule of the load balancer's security group admits ${source} on ${port}` };
    const listener = listeners.find(([, l]) => Number(l.port) === port);
    if (!listener) return { at: 'unreachable', reason: `nothing listens on ${port}` };
    // The load balancer's own web ACL sees the connection's source.
    const association = Object.values(this.stack.resource.aws_wafv2_web_acl_association ?? {}).find(
      (a) => refOf(a.resource_arn)?.[1] === lbName,
    );
    if (association) {
      const [aclName] = this.byRef(association.web_acl_arn, 'aws_wafv2_web_acl');
      const blocked = this.acl(aclName).evaluate(source, {
        path: request.path,
        headers,
        exploit: request.exploit ?? false,
        query: request.query,
      });
      if (blocked !== undefined) return { at: 'regional-waf', status: 403, rule: blocked };
    }
    // The load balancer appends the address that connected to it to X-Forwarded-For (its default
    // xff_header_processing_mode, "append": ELB User Guide, "X-Forwarded headers").
    if ((lb.xff_header_processing_mode ?? 'append') !== 'append')
      throw new Error(`X-Forwarded-For mode ${lb.xff_header_processing_mode} is not modelled`);
    headers = { ...headers, 'x-forwarded-for': headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${source}` : source };
    const [listenerName, l] = listener;
    const rules = Object.entries(this.stack.resource.aws_lb_listener_rule ?? {})
      .filter(([, r]) => refOf(r.listener_arn)?.[1] === listenerName)
      .sort(([, a], [, b]) => Number(a.priority) - Number(b.priority));
    for (const [ruleName, rule] of rules) {
      if (blocks(rule.condition).every((c) => this.condition(c, request.path, headers, source)))
        return this.action(blocks(rule.action)[0], ruleName, headers);
    }
    return this.action(blocks(l.default_action)[0], 'default', headers);
  }

  private condition(c: Json, path: string, headers: Headers, source: string): boolean {
    const keys = Object.keys(c);
    if (keys.length !== 1) throw new Error(`listener rule condition ${JSON.stringify(c)} has ${keys.length} kinds`);
    const [kind] = keys;
    const values: string[] = c[kind].values ?? [];
    switch (kind) {
      case 'path_pattern':
        return values.some((v) => glob(v, path));
      case 'http_header': {
        const value = headers[String(c[kind].http_header_name).toLowerCase()];
        return value !== undefined && values.some((v) => glob(v, value, true));
      }
      case 'host_header':
        return headers.host !== undefined && values.some((v) => glob(v, headers.host, true));
      case 'source_ip':
        return values.some((cidr) => inCidr(source, cidr));
      default:
        throw new Error(`listener rule condition ${kind} is not modelled`);
    }
  }

  private action(action: Json, rule: string, headers: Headers): Outcome {
    switch (action.type) {
      case 'forward':
        return { at: 'app', rule, headers };
      case 'fixed-response':
        return { at: 'listener', status: Number(action.fixed_response.status_code), rule };
      case 'redirect':
        return { at: 'listener', status: action.redirect.status_code === 'HTTP_302' ? 302 : 301, rule };
      default:
        throw new Error(`listener action ${action.type} is not modelled`);
    }
  }
}
