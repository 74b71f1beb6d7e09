/**
 * AWS WAF: scopes and regions, logging destinations, rule limits and capacity, which the WAF API enforces and moto
 * does not. Run over every stack of every config under test; each rule also on a copy broken on purpose.
 */
import { bodyOf, problemsInEveryStack, problemsOfBroken, stacksWith, type Check } from '../support/aws-rules/rules';
import { blocks, regionOf, resourcesOf, target, type Resource } from '../support/aws-rules/terraform-json';
import type { StackJson } from '../support/synth';

const webAcls = (stack: StackJson) => resourcesOf(stack, 'aws_wafv2_web_acl');
/** The stack's own region: that of its default provider. */
const homeRegion = (stack: StackJson) => regionOf(stack, {});

/** Every statement inside `statement` (itself included), through and/or/not and rate-based scope-downs. */
function statementsIn(statement: Record<string, any> | undefined): [string, Record<string, any>][] {
  if (!statement) return [];
  return Object.entries(statement).flatMap(([kind, body]) => {
    const nested = [...blocks(body?.statement).flatMap(statementsIn), ...blocks(body?.scope_down_statement).flatMap(statementsIn)];
    return [[kind, body] as [string, Record<string, any>], ...nested];
  });
}

it('the stacks under test have web ACLs of both scopes to check', () => {
  const scopes = new Set(problemsInEveryStack((s) => webAcls(s).map((a) => String(a.body.scope))).map((p) => p.replace(/^.*: /, '')));
  expect([...scopes].sort()).toEqual(['CLOUDFRONT', 'REGIONAL']);
});

// AWS WAF API Reference, CreateWebACL and CreateIPSet, Scope ("To work with CloudFront, you must also specify the
// Region US East (N. Virginia)"; a REGIONAL web ACL protects resources of its own region), and AssociateWebACL ("For
// Amazon CloudFront, don't use this call"; the resource an Application Load Balancer ARN):
// https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html,
// https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
describe('CLOUDFRONT web ACLs and IP sets in us-east-1, REGIONAL ones in the region of the load balancer they protect (AWS WAF API Reference, CreateWebACL, AssociateWebACL)', () => {
  const scopeProblems = (stack: StackJson, r: Resource) => {
    const region = regionOf(stack, r.body);
    if (r.body.scope === 'CLOUDFRONT') return region === 'us-east-1' ? [] : [`${r.address}: CLOUDFRONT scope in ${region}`];
    if (r.body.scope === 'REGIONAL') return [];
    return [`${r.address}: scope ${r.body.scope}`];
  };
  const check: Check = (stack) => [
    ...['aws_wafv2_web_acl', 'aws_wafv2_ip_set'].flatMap((type) => resourcesOf(stack, type).flatMap((r) => scopeProblems(stack, r))),
    ...webAcls(stack).flatMap((acl) =>
      blocks(acl.body.rule).flatMap((rule) =>
        statementsIn(rule.statement)
          .filter(([kind]) => kind === 'ip_set_reference_statement')
          .flatMap(([, s]) => {
            const set = target(stack, s.arn, 'aws_wafv2_ip_set');
            return set && (set.body.scope !== acl.body.scope || regionOf(stack, set.body) !== regionOf(stack, acl.body))
              ? [`${acl.address} rule ${rule.name}: ${set.address} is ${set.body.scope} in ${regionOf(stack, set.body)}`]
              : [];
          }),
      ),
    ),
    ...resourcesOf(stack, 'aws_wafv2_web_acl_association').flatMap((association) => {
      const acl = target(stack, association.body.web_acl_arn, 'aws_wafv2_web_acl');
      const lb = target(stack, association.body.resource_arn, 'aws_lb');
      if (!acl || !lb) return [];
      const problems: string[] = [];
      if (acl.body.scope !== 'REGIONAL')
        problems.push(`${association.address}: ${acl.address} is ${acl.body.scope}, which only a distribution takes`);
      if ((lb.body.load_balancer_type ?? 'application') !== 'application')
        problems.push(`${association.address}: ${lb.address} is a ${lb.body.load_balancer_type} load balancer`);
      if (regionOf(stack, acl.body) !== regionOf(stack, lb.body))
        problems.push(
          `${association.address}: ${acl.address} in ${regionOf(stack, acl.body)}, ${lb.address} in ${regionOf(stack, lb.body)}`,
        );
      return problems;
    }),
    ...resourcesOf(stack, 'aws_cloudfront_distribution').flatMap((d) => {
      const acl = target(stack, d.body.web_acl_id, 'aws_wafv2_web_acl');
      return acl && acl.body.scope !== 'CLOUDFRONT' ? [`${d.address}: ${acl.address} is ${acl.body.scope}`] : [];
    }),
  ];
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails when the edge provider points at the stack region, and for a CLOUDFRONT ACL on the load balancer', () => {
    const problems = problemsOfBroken(check, 'aws_wafv2_ip_set', (s) => {
      (blocks(s.provider.aws).find((p) => p.alias) as Record<string, any>).region = homeRegion(s);
      const association = bodyOf(s, 'aws_wafv2_web_acl_association');
      const edgeAcl = webAcls(s).find((a) => a.body.scope === 'CLOUDFRONT') as Resource;
      association.web_acl_arn = `\${${edgeAcl.address}.arn}`;
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/aws_wafv2_web_acl\.\S+: CLOUDFRONT scope in eu-west-1/),
        expect.stringMatching(/aws_wafv2_ip_set\.\S+: CLOUDFRONT scope in eu-west-1/),
      ]),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/aws_wafv2_web_acl_association\.\S+: aws_wafv2_web_acl\.\S+ is CLOUDFRONT, which only a distribution takes/),
    );
  });
});

// AWS WAF API Reference, PutLoggingConfiguration and LoggingConfiguration ("The name that you give the destination must
// start with aws-waf-logs-"; "You can associate one logging destination to a web ACL"; RedactedFields: "You can specify
// only the following fields for redaction: UriPath, QueryString, SingleHeader, and Method"; at most 100), and AWS WAF
// Developer Guide, "Amazon CloudWatch Logs" ("Configure the log group for AWS WAF web ACL logs in the same Region as
// the web ACL and using the same account"): https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html,
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
describe('web ACL logs go to one aws-waf-logs- log group of the web ACL region, redacting only what WAF can redact (AWS WAF API Reference, LoggingConfiguration)', () => {
  const REDACTABLE = ['single_header', 'query_string', 'uri_path', 'method'];
  const check: Check = (stack) =>
    resourcesOf(stack, 'aws_wafv2_web_acl_logging_configuration').flatMap((logging) => {
      const acl = target(stack, logging.body.resource_arn, 'aws_wafv2_web_acl');
      const problems: string[] = [];
      const aclRegion = acl ? regionOf(stack, acl.body) : undefined;
      if (acl && regionOf(stack, logging.body) !== aclRegion)
        problems.push(`${logging.address}: in ${regionOf(stack, logging.body)}, its web ACL in ${aclRegion}`);
      const destinations: unknown[] = logging.body.log_destination_configs ?? [];
      if (destinations.length !== 1) problems.push(`${logging.address}: ${destinations.length} destinations`);
      for (const d of destinations) {
        const group = target(stack, d, 'aws_cloudwatch_log_group');
        if (!group) continue;
        if (!String(group.body.name).startsWith('aws-waf-logs-'))
          problems.push(`${logging.address}: log group ${group.body.name} does not start with aws-waf-logs-`);
        if (aclRegion && regionOf(stack, group.body) !== aclRegion)
          problems.push(`${logging.address}: ${group.address} in ${regionOf(stack, group.body)}, the web ACL in ${aclRegion}`);
      }
      const redacted = blocks(logging.body.redacted_fields);
      if (redacted.length > 100) problems.push(`${logging.address}: ${redacted.length} redacted fields`);
      for (const field of redacted)
        for (const kind of Object.keys(field).filter((k) => !REDACTABLE.includes(k)))
          problems.push(`${logging.address}: WAF cannot redact ${kind}`);
      return problems;
    });
  it('holds in every stack', () => {
    expect(stacksWith('aws_wafv2_web_acl_logging_configuration')).toBeGreaterThan(0);
    expect(problemsInEveryStack(check)).toEqual([]);
  });
  it('fails for a log group named like any other, and for redacting the body', () => {
    const problems = problemsOfBroken(check, 'aws_wafv2_web_acl_logging_configuration', (s) => {
      const logging = bodyOf(s, 'aws_wafv2_web_acl_logging_configuration');
      (target(s, logging.log_destination_configs[0], 'aws_cloudwatch_log_group') as Resource).body.name = '/waf/logs';
      logging.redacted_fields = [...logging.redacted_fields, { body: {} }];
    });
    expect(problems).toEqual([
      expect.stringContaining('log group /waf/logs does not start with aws-waf-logs-'),
      expect.stringContaining('WAF cannot redact body'),
    ]);
  });
});

// AWS WAF API Reference, Rule (Priority: "The priorities don't need to be consecutive, but they must all be different"),
// VisibilityConfig (MetricName: "A-Z, a-z, 0-9, - (hyphen), and _ (underscore) ... from one to 128 characters long. It
// can't contain whitespace or metric names that are reserved for WAF, for example All and Default_Action"):
// https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html, https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html
describe('rules of a web ACL have distinct priorities and names, and metric names WAF takes (AWS WAF API Reference, Rule, VisibilityConfig)', () => {
  const METRIC = /^[A-Za-z0-9_-]{1,128}$/;
  const check: Check = (stack) =>
    webAcls(stack).flatMap((acl) => {
      const rules = blocks(acl.body.rule);
      const problems: string[] = [];
      const repeated = (values: unknown[]) => values.filter((v, i) => values.indexOf(v) !== i);
      for (const p of new Set(repeated(rules.map((r) => Number(r.priority))))) problems.push(`${acl.address}: two rules at priority ${p}`);
      for (const n of new Set(repeated(rules.map((r) => r.name)))) problems.push(`${acl.address}: two rules named ${n}`);
      const metrics = [acl.body.visibility_config, ...rules.map((r) => r.visibility_config)]
        .flatMap(blocks)
        .map((v) => String(v.metric_name));
      for (const m of metrics.filter((x) => !METRIC.test(x) || ['All', 'Default_Action'].includes(x)))
        problems.push(`${acl.address}: metric name ${JSON.stringify(m)}`);
      return problems;
    });
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for two rules at one priority and a metric name with a dot', () => {
    const problems = problemsOfBroken(check, 'aws_wafv2_web_acl', (s) => {
      const acl = bodyOf(s, 'aws_wafv2_web_acl');
      acl.rule[1].priority = acl.rule[0].priority;
      acl.rule[0].visibility_config.metric_name = 'web.dev';
    });
    expect(problems).toEqual([expect.stringMatching(/two rules at priority \d+$/), expect.stringContaining('metric name "web.dev"')]);
  });
});

// AWS WAF Developer Guide, "Rate-based rule statement" high-level settings ("The lowest limit setting allowed is 10";
// evaluation window "Valid settings are 60 (1 minute), 120 (2 minutes), 300 (5 minutes), and 600 (10 minutes)"), and
// API Reference, RateBasedStatement (Limit up to 2,000,000,000; AggregateKeyType IP | FORWARDED_IP | CUSTOM_KEYS |
// CONSTANT, FORWARDED_IP with its ForwardedIPConfig): https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html,
// https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
describe('rate-based rules: a limit of 10 or more, an evaluation window WAF offers, a key type it knows (AWS WAF Developer Guide, Rate-based rule statement)', () => {
  const check: Check = (stack) =>
    webAcls(stack).flatMap((acl) =>
      blocks(acl.body.rule).flatMap((rule) =>
        statementsIn(rule.statement)
          .filter(([kind]) => kind === 'rate_based_statement')
          .flatMap(([, s]) => {
            const where = `${acl.address} rule ${rule.name}`;
            const problems: string[] = [];
            const limit = Number(s.limit);
            if (!(limit >= 10 && limit <= 2_000_000_000)) problems.push(`${where}: limit ${s.limit}`);
            if (s.evaluation_window_sec !== undefined && ![60, 120, 300, 600].includes(Number(s.evaluation_window_sec)))
              problems.push(`${where}: window ${s.evaluation_window_sec} s`);
            const key = s.aggregate_key_type ?? 'IP';
            if (!['IP', 'FORWARDED_IP', 'CUSTOM_KEYS', 'CONSTANT'].includes(key)) problems.push(`${where}: aggregate key type ${key}`);
            if (key === 'FORWARDED_IP' && !s.forwarded_ip_config) problems.push(`${where}: FORWARDED_IP without the header to read`);
            return problems;
          }),
      ),
    );
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a limit of 5 over a 30-second window', () => {
    const problems = problemsOfBroken(check, 'aws_wafv2_web_acl', (s) => {
      for (const acl of webAcls(s))
        for (const rule of blocks(acl.body.rule))
          if (rule.statement.rate_based_statement)
            Object.assign(rule.statement.rate_based_statement, { limit: 5, evaluation_window_sec: 30 });
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.filter((p) => p.endsWith('limit 5')).length).toBe(problems.length / 2);
    expect(problems.filter((p) => p.endsWith('window 30 s')).length).toBe(problems.length / 2);
  });
});

/**
 * AWS Managed Rules rule groups and their capacity (WCUs): as the AWS WAF Developer Guide, "AWS Managed Rules rule
 * groups list", publishes them; the four the stacks use (common rule set 700, known bad inputs 200, Amazon IP
 * reputation 25, anonymous IP 50) checked against it when written.
 */
const MANAGED_GROUP_WCU: Readonly<Record<string, number>> = {
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesAdminProtectionRuleSet: 100,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  AWSManagedRulesSQLiRuleSet: 200,
  AWSManagedRulesLinuxRuleSet: 200,
  AWSManagedRulesUnixRuleSet: 100,
  AWSManagedRulesWindowsRuleSet: 200,
  AWSManagedRulesPHPRuleSet: 100,
  AWSManagedRulesWordPressRuleSet: 100,
  AWSManagedRulesAmazonIpReputationList: 25,
  AWSManagedRulesAnonymousIpList: 50,
  AWSManagedRulesBotControlRuleSet: 50,
  AWSManagedRulesATPRuleSet: 50,
  AWSManagedRulesACFPRuleSet: 50,
};

// AWS WAF Developer Guide, "AWS Managed Rules rule groups list" (VendorName AWS and the group names):
// https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
describe('managed rule groups are AWS Managed Rules that exist (AWS WAF Developer Guide, AWS Managed Rules rule groups list)', () => {
  const check: Check = (stack) =>
    webAcls(stack).flatMap((acl) =>
      blocks(acl.body.rule).flatMap((rule) =>
        statementsIn(rule.statement)
          .filter(([kind]) => kind === 'managed_rule_group_statement')
          .flatMap(([, s]) =>
            s.vendor_name === 'AWS' && s.name in MANAGED_GROUP_WCU
              ? []
              : [`${acl.address} rule ${rule.name}: ${s.vendor_name}/${s.name} is no AWS managed rule group`],
          ),
      ),
    );
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails for a misspelt group and another vendor', () => {
    const problems = problemsOfBroken(check, 'aws_wafv2_web_acl', (s) => {
      const managed = blocks(bodyOf(s, 'aws_wafv2_web_acl').rule).filter((r) => r.statement.managed_rule_group_statement);
      managed[0].statement.managed_rule_group_statement.name = 'AWSManagedRulesCoreRuleSet';
      managed[1].statement.managed_rule_group_statement.vendor_name = 'F5';
    });
    expect(problems).toEqual([
      expect.stringContaining('AWS/AWSManagedRulesCoreRuleSet is no AWS managed rule group'),
      expect.stringMatching(/F5\/AWSManagedRules\w+ is no AWS managed rule group/),
    ]);
  });
});

/**
 * An upper bound of a statement's capacity: base costs from the statement pages of the AWS WAF Developer Guide (IP
 * set, geo, size, label, ASN 1; rate-based 2; regex 3; string match 2, or 10 for contains; regex pattern set 25; SQLi
 * 20; XSS 40), plus 10 for each text transformation (WAF counts a transformation shared by rules once: this counts it
 * every time, so the sum is never below WAF's); unknown statements count 100.
 */
function capacityOf(kind: string, s: Record<string, any>): number {
  const transformations = blocks(s.text_transformation).filter((t) => t.type !== 'NONE').length * 10;
  const base: Record<string, number> = {
    ip_set_reference_statement: 1, geo_match_statement: 1, size_constraint_statement: 1, label_match_statement: 1, asn_match_statement: 1,
    rate_based_statement: 2, regex_match_statement: 3, regex_pattern_set_reference_statement: 25, sqli_match_statement: 20, xss_match_statement: 40,
    and_statement: 0, or_statement: 0, not_statement: 0,
  }; // prettier-ignore
  if (kind === 'managed_rule_group_statement') return MANAGED_GROUP_WCU[s.name] ?? 5000;
  if (kind === 'byte_match_statement') return (['CONTAINS', 'CONTAINS_WORD'].includes(s.positional_constraint) ? 10 : 2) + transformations;
  return (base[kind] ?? 100) + transformations;
}

// AWS WAF Developer Guide, "Web ACL capacity units (WCUs) in AWS WAF" (the base price covers 1,500 WCUs; a web ACL
// can use at most 5,000): https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html
describe('every web ACL fits in the 1,500 WCUs its base price covers (AWS WAF Developer Guide, Web ACL capacity units)', () => {
  const capacity = (acl: Resource) =>
    blocks(acl.body.rule).reduce(
      (sum, rule) => sum + statementsIn(rule.statement).reduce((s, [kind, body]) => s + capacityOf(kind, body), 0),
      0,
    );
  const check: Check = (stack) =>
    webAcls(stack).flatMap((acl) => (capacity(acl) <= 1500 ? [] : [`${acl.address}: up to ${capacity(acl)} WCUs`]));
  it('holds in every stack', () => expect(problemsInEveryStack(check)).toEqual([]));
  it('fails with the SQL, Linux and Windows groups added to the core rule set', () => {
    const problems = problemsOfBroken(check, 'aws_wafv2_web_acl', (s) => {
      const acl = bodyOf(s, 'aws_wafv2_web_acl');
      acl.rule = [
        ...acl.rule,
        ...['AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesLinuxRuleSet', 'AWSManagedRulesWindowsRuleSet'].map((name, i) => ({
          name,
          priority: 500 + i,
          statement: { managed_rule_group_statement: { name, vendor_name: 'AWS' } },
        })),
      ];
    });
    expect(problems).toEqual([expect.stringMatching(/: up to 1\d{3} WCUs$/)]);
  });
});
