/**
 * The policy machinery on the configured stacks: an environment passes with the architecture's suppressions
 * (declared by the constructs), the risks its settings carry (policy/accepted-risks.ts) and its own
 * hand-written ones, and nothing else; every suppression is recorded in the output, and violations stop the
 * app before anything is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformVariable } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { platform, prod } from '../../config/environments';
import { apiBehindEdge } from '../../config/edge';
import { validateConfig } from '../../config/validate';
import { PUBLIC_ENTRY_REASON } from '../../modules/load-balancer';
import { webStackName } from '../../naming';
import { acceptedRisks } from '../../policy/accepted-risks';
import { PolicyError } from '../../policy/aspect';
import { referenceOf, refersTo } from '../../policy/tokens';
import { isValidReason, suppress, SuppressionError } from '../../policy/suppress';
import { renderRulesMarkdown } from '../../policy/rules-doc';
import { buildStacks } from '../../stacks';
import { configWith } from '../support/config';
import { synth } from '../support/synth';
import { check, key, testStack } from './fixtures';

interface Recorded {
  readonly rule: string;
  readonly address: string;
  readonly reason: string;
  readonly declaredAt: string;
}

const { stacks, outdir, warnings } = synth();
const config = validateConfig(platform);
const recorded = (stack: string) => stacks[stack]['//'].policy.suppressions as Recorded[];
const environments = config.environments.map((env) => ({ env, stack: webStackName(config.project, env.name) }));
/** Suppressions the constructs declare (the architecture's): below the stack, not at it, and no setting's. */
const architecture = (stack: string, env: (typeof config.environments)[number]) => {
  const risks = new Set(acceptedRisks(env).map((r) => r.reason));
  return recorded(stack).filter((s) => s.declaredAt !== stack && !risks.has(s.reason));
};

describe.each(environments)('$stack', ({ env, stack }) => {
  it("passes with the architecture's suppressions, the risks its settings carry and its own, nothing else", () => {
    const expected = new Set([
      ...architecture(stack, env).map((s) => s.rule),
      ...acceptedRisks(env).map((r) => r.rule),
      ...env.policySuppressions.map((s) => s.rule),
    ]);
    expect(new Set(recorded(stack).map((s) => s.rule))).toEqual(expected);
  });

  it('uses every suppression it declares', () => {
    expect(warnings[stack].filter((w) => w.includes('accepts nothing'))).toEqual([]);
  });

  it('lists the packs it ran', () => {
    expect(stacks[stack]['//'].policy.packs).toEqual(['security', 'high-availability', 'data-protection']);
  });
});

describe('the architecture needs the same suppressions in every environment', () => {
  it("each environment's architecture suppressions are the same rules, but for the public entry the edge removes", () => {
    // Behind the edge the load balancer is internal and admits CloudFront's prefix list only: no public
    // ingress and no internet-facing load balancer to accept.
    const edgeRemoves = ['elb-internal', 'security-group-no-public-ingress'];
    const rules = environments.map(({ env, stack }) =>
      [...new Set(architecture(stack, env).map((s) => s.rule)), ...(apiBehindEdge(env) ? edgeRemoves : [])].sort(),
    );
    for (const r of rules) expect(r).toEqual(rules[0]);
    for (const { env, stack } of environments)
      for (const rule of edgeRemoves) expect(architecture(stack, env).some((s) => s.rule === rule)).toBe(!apiBehindEdge(env));
  });

  it('prod makes no weakening choice: no risk from its settings, no suppression of its own, no warning', () => {
    const p = config.environments.find((e) => e.name === prod.name)!;
    expect(acceptedRisks(p)).toEqual([]);
    expect(p.policySuppressions).toEqual([]);
    expect(stacks[webStackName(config.project, p.name)]['//'].policy.warnings).toEqual([]);
  });

  it.each(environments)(
    '$stack: records each suppression with its reason on the resource (a public load balancer says why it is public)',
    ({ env, stack }) => {
      expect(
        (stacks[stack].resource.aws_lb.load_balancer_alb['//']?.policy_suppressions ?? []).filter(
          (s: Recorded) => s.rule === 'elb-internal',
        ),
      ).toEqual(apiBehindEdge(env) ? [] : [{ rule: 'elb-internal', reason: PUBLIC_ENTRY_REASON }]);
    },
  );
});

describe('dev', () => {
  it('warns that its alerts topic has no subscriber', () => {
    expect(stacks['web-dev']['//'].policy.warnings).toEqual([
      {
        rule: 'ha-alarm-topic-subscribed',
        address: 'aws_sns_topic.alerts_topic',
        reason: 'no aws_sns_topic_subscription refers to this topic',
      },
    ]);
  });
});

describe('suppressions are recorded, and listed at synth when asked (--verbose)', () => {
  const listed = (verbose: boolean) => {
    const out = join(outdir, verbose ? 'verbose' : 'quiet');
    const saved = process.env.PLATFORM_VERBOSE;
    process.env.PLATFORM_VERBOSE = verbose ? '1' : '';
    try {
      const app = new App({ outdir: out, stackTraces: false });
      buildStacks(app, validateConfig(platform));
      app.synth();
    } finally {
      if (saved === undefined) delete process.env.PLATFORM_VERBOSE;
      else process.env.PLATFORM_VERBOSE = saved;
    }
    return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
      .stacks['web-prod'].annotations.filter((a: any) => a.level === '@cdktf/info')
      .map((a: any) => a.message);
  };

  it('verbose: as info annotations, one per suppressed finding', () => {
    const infos = listed(true);
    expect(infos).toHaveLength(recorded('web-prod').length);
    const reason = recorded('web-prod').find((r) => r.address === 'aws_lb_target_group.load_balancer_target_group')!;
    expect(infos).toContain(`policy: suppressed ${reason.rule} on ${reason.address}: ${reason.reason}`);
  });

  it('by default: none printed, every one still recorded in cdk.tf.json', () => {
    expect(listed(false)).toEqual([]);
    expect(recorded('web-prod').length).toBeGreaterThan(0);
  });
});

describe('a violation stops the app before synthesis', () => {
  it('throws a PolicyError listing every error of every stack, and writes nothing', () => {
    // Both load balancers public (prod's API kept off the edge), both without their web ACL.
    const config = configWith((prod) => {
      prod.webFirewall = { enabled: false };
      prod.edge = { api: false };
      for (const f of prod.frontends) delete f.apiPath;
    });
    (config.environments[0] as { webFirewall?: unknown }).webFirewall = { enabled: false };
    const out = join(outdir, 'violating');
    const app = new App({ outdir: out, stackTraces: false });
    let thrown: unknown;
    try {
      buildStacks(app, validateConfig(config));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PolicyError);
    const message = (thrown as PolicyError).message;
    expect(message).toContain('Policy check failed (2 errors):');
    expect(message).toContain(
      'web-dev: elb-waf: aws_lb.load_balancer_alb (web-dev/load_balancer/alb): no aws_wafv2_web_acl_association ties a web ACL of this stack to the load balancer [CKV2_AWS_28]',
    );
    expect(message).toContain(
      'web-prod: elb-waf: aws_lb.load_balancer_alb (web-prod/load_balancer/alb): no aws_wafv2_web_acl_association ties a web ACL of this stack to the load balancer [CKV2_AWS_28]',
    );
    // App creates its empty folders when constructed; not a single file is written.
    expect(readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())).toEqual([]);
  });

  it('turning WAF off in front of a public load balancer without a suppression fails on elb-waf', () => {
    const config = configWith((dev) => {
      dev.webFirewall = { enabled: false };
    }, 'dev');
    expect(() => buildStacks(new App({ outdir: join(outdir, 'nowaf'), stackTraces: false }), validateConfig(config))).toThrow(
      /web-dev: elb-waf: aws_lb\.load_balancer_alb/,
    );
  });

  it('a suppression in config accepts the weakness and is recorded', () => {
    const config = configWith((dev) => {
      dev.webFirewall = { enabled: false };
      dev.policySuppressions = [{ rule: 'elb-waf', reason: 'An upstream CDN with its own WAF filters all traffic to this load balancer.' }];
    }, 'dev');
    const app = new App({ outdir: join(outdir, 'suppressed'), stackTraces: false });
    const dev = buildStacks(app, validateConfig(config)).find((s) => s.node.id === 'web-dev')!;
    app.synth();
    const json = JSON.parse(readFileSync(join(outdir, 'suppressed', 'stacks', dev.node.id, 'cdk.tf.json'), 'utf8'));
    expect(json['//'].policy.suppressions).toContainEqual({
      rule: 'elb-waf',
      address: 'aws_lb.load_balancer_alb',
      reason: 'An upstream CDN with its own WAF filters all traffic to this load balancer.',
      declaredAt: 'web-dev',
    });
  });
});

describe('the suppression helper', () => {
  it('refuses an unknown rule id', () => {
    expect(() => suppress(testStack(), 'CKV_AWS_16', 'A perfectly good reason for this choice.')).toThrow(SuppressionError);
  });

  it.each([
    'TODO',
    'n/a',
    'because',
    'cheaper',
    'todo: write a reason for this later.',
    'This is fine',
    'lorem ipsum dolor sit amet consectetur.',
  ])('refuses the reason %j', (reason) => {
    expect(isValidReason(reason)).toBe(false);
    expect(() => suppress(testStack(), 'rds-multi-az', reason)).toThrow(/is not a sentence of at least 4 words/);
  });

  it('accepts a real sentence', () => {
    expect(isValidReason('Dev runs a single-AZ database to halve its cost.')).toBe(true);
  });

  it('warns about a suppression that accepts nothing', () => {
    const config = configWith((e) => {
      e.policySuppressions = [{ rule: 'rds-multi-az', reason: 'Kept from an earlier single-AZ setup, no longer needed.' }];
    });
    const out = join(outdir, 'stale');
    const app = new App({ outdir: out, stackTraces: false });
    buildStacks(app, validateConfig(config));
    app.synth();
    const warnings = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).stacks['web-prod'].annotations.map((a: any) => a.message);
    expect(warnings).toContain('policy: the suppression of rds-multi-az at web-prod accepts nothing; remove it');
  });
});

describe('values unknown at synth', () => {
  it('count as non-compliant', () => {
    const s = testStack();
    const days = new TerraformVariable(s, 'days', { type: 'number' });
    new CloudwatchLogGroup(s, 'logs', {
      retentionInDays: days.numberValue,
      kmsKeyId: new TerraformVariable(s, 'key', { type: 'string' }).stringValue,
    });
    expect(check('logs-retention', s, 'aws_cloudwatch_log_group.logs').status).toBe('non-compliant');
    expect(check('logs-encrypted', s, 'aws_cloudwatch_log_group.logs').status).toBe('non-compliant');
  });

  it('a reference to a KMS key of the stack is proven from the construct tree', () => {
    const s = testStack();
    new CloudwatchLogGroup(s, 'logs', { retentionInDays: 365, kmsKeyId: key(s).arn });
    expect(check('logs-encrypted', s, 'aws_cloudwatch_log_group.logs')).toEqual({ status: 'compliant' });
  });

  it('references are recognised by resource type and attribute', () => {
    expect(referenceOf('${aws_kms_key.encryption_key.arn}')).toEqual({
      type: 'aws_kms_key',
      name: 'encryption_key',
      attribute: 'arn',
      address: 'aws_kms_key.encryption_key',
    });
    expect(refersTo('${aws_kms_key.k.arn}', 'aws_kms_key', 'arn')).toBe(true);
    expect(refersTo('${aws_kms_key.k.key_id}', 'aws_kms_key', 'arn')).toBe(false);
    expect(refersTo('${var.key_arn}', 'aws_kms_key')).toBe(false);
    expect(refersTo('${data.aws_kms_key.k.arn}', 'aws_kms_key')).toBe(false);
    expect(refersTo('arn:aws:kms:eu-west-1:1:key/x', 'aws_kms_key')).toBe(false);
    expect(refersTo('${element(aws_kms_key.k.arn, 0)}', 'aws_kms_key')).toBe(false);
  });
});

it('RULES.md is generated from the rule files and up to date (run `npm run rules`)', () => {
  expect(readFileSync(join(__dirname, '..', '..', 'RULES.md'), 'utf8')).toBe(renderRulesMarkdown());
});
