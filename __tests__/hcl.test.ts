/**
 * The JSON → HCL converter (export/hcl.ts) on the cases that break naive converters: templates and
 * their escapes, heredocs, keys that need quotes, blocks vs attributes from the provider schema,
 * meta-arguments, jsonencode only where exact. No Terraform here; export.tf.test.ts proves the whole
 * export with Terraform.
 */
import { renderStack, routeResource } from '../export';
import { convert, parseTemplate, renderExpression, type TerraformJson } from '../export/hcl';
import type { BlockSchema, ProviderSchemas } from '../export/provider-schema';

const block = (attributes: BlockSchema['attributes'], blocks: BlockSchema['blocks'] = {}, required: string[] = []): BlockSchema => ({
  attributes,
  blocks,
  required,
});

const SCHEMAS: ProviderSchemas = {
  'registry.terraform.io/hashicorp/aws': {
    provider: block(
      { region: 'string', allowed_account_ids: 'other' },
      { default_tags: { nesting: 'list', block: block({ tags: 'other' }) } },
    ),
    resources: {
      aws_vpc: block({ id: 'string', arn: 'string', cidr_block: 'string', tags: 'other' }),
      aws_s3_bucket: block({ id: 'string', arn: 'string', bucket: 'string' }),
      aws_bucket_rules: block(
        { bucket: 'string' },
        {
          rule: {
            nesting: 'list',
            block: block({ id: 'string', status: 'string' }, { filter: { nesting: 'list', block: block({ prefix: 'string' }) } }),
          },
          versioning: { nesting: 'single', block: block({ status: 'string' }) },
          setting: { nesting: 'map', block: block({ value: 'string' }) },
        },
      ),
      aws_security_group: block(
        { id: 'string', name: 'string', ingress: 'object-list' },
        { timeouts: { nesting: 'single', block: block({ create: 'string' }) } },
      ),
      aws_iam_policy: block({ arn: 'string', policy: 'string' }),
      aws_db_instance: {
        attributes: { master_user_secret: 'object-list' },
        blocks: {},
        elements: { master_user_secret: { secret_arn: 'string' } },
      },
      aws_acm_certificate: block({ arn: 'string', domain_name: 'string' }),
      aws_acm_certificate_validation: block({ certificate_arn: 'string', validation_record_fqdns: 'other' }),
      aws_route53_record: block({ fqdn: 'string', name: 'string' }),
      aws_cloudwatch_metric_alarm: block(
        {
          actions_enabled: 'bool',
          alarm_actions: 'other',
          alarm_description: 'string',
          alarm_name: 'string',
          comparison_operator: 'string',
          dimensions: 'other',
          evaluation_periods: 'number',
          period: 'number',
          tags: 'other',
          threshold: 'number',
        },
        { metric_query: { nesting: 'set', block: block({ id: 'string', label: 'string', return_data: 'bool' }, {}, ['id']) } },
        ['alarm_name', 'comparison_operator', 'evaluation_periods'],
      ),
    },
    dataSources: { aws_ami: block({ id: 'string', owners: 'other', most_recent: 'bool' }) },
  },
};

const TERRAFORM = { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } };

/** Converts `json` (with the aws provider required) and returns the text of the blocks of `kind`. */
function hcl(json: TerraformJson, kind?: string): string {
  return convert({ terraform: TERRAFORM, ...json }, SCHEMAS)
    .filter((b) => (kind ? b.kind === kind : b.kind !== 'terraform'))
    .map((b) => b.text)
    .join('\n\n');
}

describe('templates', () => {
  it('split into literal text and sequences; $${ and %%{ are literal', () => {
    expect(parseTemplate('a-${x.y}-$${b}-%%{c}-%{ if z }d%{ endif }')).toEqual([
      { kind: 'literal', text: 'a-' },
      { kind: 'interpolation', source: '${x.y}' },
      { kind: 'literal', text: '-${b}-%{c}-' },
      { kind: 'directive', source: '%{ if z }' },
      { kind: 'literal', text: 'd' },
      { kind: 'directive', source: '%{ endif }' },
    ]);
  });

  it('find the end of a sequence past braces and quotes inside its expression', () => {
    expect(parseTemplate('${lookup(m, "}")}x${format("%s-${a}", {k = "v"}["k"])}')).toEqual([
      { kind: 'interpolation', source: '${lookup(m, "}")}' },
      { kind: 'literal', text: 'x' },
      { kind: 'interpolation', source: '${format("%s-${a}", {k = "v"}["k"])}' },
    ]);
  });

  it('skip escaped $${ inside a string inside an expression', () => {
    expect(parseTemplate('${format("$${")}x')).toEqual([
      { kind: 'interpolation', source: '${format("$${")}' },
      { kind: 'literal', text: 'x' },
    ]);
  });

  it('read $$${ as a literal $ then an escaped ${, like Terraform', () => {
    expect(parseTemplate('$$${x}')).toEqual([{ kind: 'literal', text: '$${x}' }]);
  });

  it('reject an unterminated sequence', () => {
    expect(() => parseTemplate('a ${b')).toThrow(/Unterminated template sequence/);
  });
});

describe('strings', () => {
  it('an interpolation-only string becomes the bare expression', () => {
    expect(renderExpression('${aws_vpc.network_vpc.id}')).toBe('aws_vpc.network_vpc.id');
    expect(renderExpression('${~ base64encode(local.user_data) ~}')).toBe('base64encode(local.user_data)');
    expect(renderExpression('${element(tolist(x), 0).name}')).toBe('element(tolist(x), 0).name');
  });

  it('text mixed with references stays a template', () => {
    expect(renderExpression('arn:${aws_s3_bucket.b.arn}/*')).toBe('"arn:${aws_s3_bucket.b.arn}/*"');
  });

  it('escapes quotes, backslashes and control characters in text, not inside expressions', () => {
    expect(renderExpression('say "hi" C:\\dir\ttab\u0001 ${lookup(m, "k")}')).toBe(
      '"say \\"hi\\" C:\\\\dir\\ttab\\u0001 ${lookup(m, "k")}"',
    );
  });

  it('keeps literal ${ and %{ escaped', () => {
    expect(renderExpression('echo $${HOME} %%{x}')).toBe('"echo $${HOME} %%{x}"');
  });

  it('escapes ${ and %{ in strings Terraform reads verbatim (backend, descriptions)', () => {
    expect(renderExpression('cost ${x} %{y}', 'literal')).toBe('"cost $${x} %%{y}"');
  });

  it('keeps non-ASCII text as it is', () => {
    expect(renderExpression('Average CPU ≥ 80%')).toBe('"Average CPU ≥ 80%"');
  });

  it('writes a multi-line string that ends with a newline as a heredoc, backslashes and all', () => {
    expect(renderExpression('#!/bin/bash\necho "a\\nb"\nHOST=${aws_db_instance.db.address}\n')).toBe(
      ['<<EOT', '#!/bin/bash', 'echo "a\\nb"', 'HOST=${aws_db_instance.db.address}', 'EOT'].join('\n'),
    );
  });

  it('picks a heredoc marker that does not occur as a line', () => {
    expect(renderExpression('cat <<EOT\nx\nEOT\n')).toBe('<<EOT1\ncat <<EOT\nx\nEOT\nEOT1');
  });

  it('keeps a string quoted when a heredoc would change it', () => {
    expect(renderExpression('a\nb')).toBe('"a\\nb"'); // no final newline
    expect(renderExpression('a\r\nb\r\n')).toBe('"a\\r\\nb\\r\\n"');
    expect(renderExpression('one line\n')).toBe('"one line\\n"');
  });
});

describe('for expressions', () => {
  it('are spaced as terraform fmt spaces them', () => {
    expect(renderExpression('${[ for key, val in aws_route53_record.r: val.fqdn]}')).toBe(
      '[for key, val in aws_route53_record.r : val.fqdn]',
    );
    expect(renderExpression('${{for k, v in var.m: k => v if v != null}}')).toBe('{ for k, v in var.m : k => v if v != null }');
  });

  it('find the colon that ends the for clause past strings, brackets and conditionals', () => {
    expect(renderExpression('${[for x in var.l: x ? "a:b" : "c"]}')).toBe('[for x in var.l : x ? "a:b" : "c"]');
    expect(renderExpression('${[for x in var.a ? var.b : var.c: x]}')).toBe('[for x in var.a ? var.b : var.c : x]');
    expect(renderExpression('${[for x in lookup(var.m, "k:v", []): {a = x}]}')).toBe('[for x in lookup(var.m, "k:v", []) : {a = x}]');
  });

  it('break after that colon when longer than 80 characters', () => {
    expect(
      renderExpression(
        '${{ for key, val in tolist(aws_acm_certificate.load_balancer_certificate.domain_validation_options): val.domain_name => val }}',
      ),
    ).toBe(
      [
        '{',
        '  for key, val in tolist(aws_acm_certificate.load_balancer_certificate.domain_validation_options) :',
        '  val.domain_name => val',
        '}',
      ].join('\n'),
    );
  });

  it('leave other expressions that start and end with brackets as they are', () => {
    expect(renderExpression('${[for x in var.l: x][0]}')).toBe('[for x in var.l: x][0]');
    expect(renderExpression('${[var.a, var.b]}')).toBe('[var.a, var.b]');
  });
});

describe('values', () => {
  it('renders scalars and short lists inline, long lists one item a line with trailing commas', () => {
    expect(renderExpression([1, -30, 2.5, true, null, 'x'])).toBe('[1, -30, 2.5, true, null, "x"]');
    expect(
      renderExpression([
        '${aws_subnet.network_app_subnet_a.id}',
        '${aws_subnet.network_app_subnet_b.id}',
        '${aws_subnet.network_app_subnet_c.id}',
      ]),
    ).toBe('[\n  aws_subnet.network_app_subnet_a.id,\n  aws_subnet.network_app_subnet_b.id,\n  aws_subnet.network_app_subnet_c.id,\n]');
    expect(renderExpression([])).toBe('[]');
    expect(renderExpression({})).toBe('{}');
  });

  it('quotes object keys that are not plain identifiers, aligns the = signs', () => {
    expect(renderExpression({ Name: 'x', 'kms:ViaService': 'y', 'Content-Type': 'z', for: 1 })).toBe(
      ['{', '  Name             = "x"', '  "kms:ViaService" = "y"', '  "Content-Type"   = "z"', '  "for"            = 1', '}'].join('\n'),
    );
  });

  it('turns computed keys into (expression) and templated keys into quoted templates', () => {
    expect(renderExpression({ '${var.key}': 1, 'k-${var.n}': 2 })).toBe('{\n  (var.key)    = 1\n  "k-${var.n}" = 2\n}');
  });

  it('breaks the alignment around multi-line values, as terraform fmt does', () => {
    expect(renderExpression({ a: 1, bbb: [{ c: 1 }], dddd: 2, e: 3 })).toBe(
      ['{', '  a = 1', '  bbb = [', '    {', '      c = 1', '    },', '  ]', '  dddd = 2', '  e    = 3', '}'].join('\n'),
    );
  });
});

describe('JSON documents', () => {
  // jsonencode sorts keys and writes compact JSON: only such strings convert.
  const sorted =
    '{"Statement":[{"Action":["s3:GetObject"],"Condition":{"Bool":{"aws:SecureTransport":"true"}},"Effect":"Allow","Resource":"${aws_s3_bucket.logs.arn}/*"}],"Version":"2012-10-17"}';

  it('become jsonencode({...}) when that renders the very same string, policies in the element order of AWS examples', () => {
    expect(hcl({ resource: { aws_iam_policy: { p: { policy: sorted } } } })).toBe(
      [
        'resource "aws_iam_policy" "p" {',
        '  policy = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [',
        '      {',
        '        Effect   = "Allow"',
        '        Action   = ["s3:GetObject"]',
        '        Resource = "${aws_s3_bucket.logs.arn}/*"',
        '        Condition = {',
        '          Bool = {',
        '            "aws:SecureTransport" = "true"',
        '          }',
        '        }',
        '      },',
        '    ]',
        '  })',
        '}',
      ].join('\n'),
    );
  });

  it('keep the keys of documents that are not policies as jsonencode writes them', () => {
    expect(renderExpression('{"a":"x","b":{"c":2,"d":1}}')).toBe('jsonencode({\n  a = "x"\n  b = {\n    c = 2\n    d = 1\n  }\n})');
  });

  it('keep a whole-string reference a string: bare when the schema says string, else tostring()', () => {
    const policy = '{"Resource":"${aws_s3_bucket.logs.arn}","Sid":"${local.sid}"}';
    expect(hcl({ resource: { aws_iam_policy: { p: { policy } } } })).toContain(
      'Resource = aws_s3_bucket.logs.arn\n    Sid      = tostring(local.sid)',
    );
    const nested = '{"a":"${aws_db_instance.db.master_user_secret[0].secret_arn}","b":"${aws_db_instance.db.master_user_secret[0].other}"}';
    expect(hcl({ resource: { aws_iam_policy: { p: { policy: nested } } } })).toContain(
      'a = aws_db_instance.db.master_user_secret[0].secret_arn\n    b = tostring(aws_db_instance.db.master_user_secret[0].other)',
    );
  });

  it('stay strings when jsonencode would differ: key order, HTML characters, fractions, whitespace', () => {
    for (const policy of ['{"Version":"2012-10-17","Statement":[]}', '{"a":"<b>"}', '{"a":1.5}', '{ "a": 1 }', '{"a":"${x}","a":"y"}']) {
      expect(hcl({ resource: { aws_iam_policy: { p: { policy } } } })).toBe(
        `resource "aws_iam_policy" "p" {\n  policy = ${JSON.stringify(policy)}\n}`,
      );
    }
  });

  it('stay strings when a key or a non-string position holds an interpolation', () => {
    expect(renderExpression('{"${local.k}":"v"}')).toBe('"{\\"${local.k}\\":\\"v\\"}"');
    expect(renderExpression('{"n":${local.n}}')).toBe('"{\\"n\\":${local.n}}"');
  });
});

describe('blocks and attributes, from the provider schema', () => {
  it('repeats a block given as a list, nests blocks, writes a single-object block once, labels map blocks', () => {
    const json = {
      resource: {
        aws_bucket_rules: {
          r: {
            '//': { metadata: { path: 'stack/logs/rules', uniqueId: 'r' } },
            bucket: '${aws_s3_bucket.logs.id}',
            rule: [
              { id: 'a', status: 'Enabled', filter: [{ prefix: '' }] },
              { id: 'b', status: 'Disabled', filter: {} },
            ],
            versioning: { status: 'Enabled' },
            setting: { first: { value: '1' } },
          },
        },
      },
    };
    expect(hcl(json)).toBe(
      [
        'resource "aws_bucket_rules" "r" {',
        '  bucket = aws_s3_bucket.logs.id',
        '',
        '  rule {',
        '    id     = "a"',
        '    status = "Enabled"',
        '',
        '    filter {',
        '      prefix = ""',
        '    }',
        '  }',
        '',
        '  rule {',
        '    id     = "b"',
        '    status = "Disabled"',
        '',
        '    filter {}',
        '  }',
        '',
        '  versioning {',
        '    status = "Enabled"',
        '  }',
        '',
        '  setting "first" {',
        '    value = "1"',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(convert({ terraform: TERRAFORM, ...json }, SCHEMAS).find((b) => b.kind === 'resource')?.source).toBe('stack/logs/rules');
  });

  it('writes a list-of-objects attribute given as objects as blocks, an empty one as an attribute', () => {
    expect(
      hcl({ resource: { aws_security_group: { a: { name: 'a', ingress: [{ from_port: 443 }] }, b: { name: 'b', ingress: [] } } } }),
    ).toBe(
      [
        'resource "aws_security_group" "a" {',
        '  name = "a"',
        '',
        '  ingress {',
        '    from_port = 443',
        '  }',
        '}',
        '',
        'resource "aws_security_group" "b" {',
        '  name    = "b"',
        '  ingress = []',
        '}',
      ].join('\n'),
    );
  });

  it('rejects a key that is neither attribute nor block, naming where', () => {
    expect(() => hcl({ resource: { aws_vpc: { v: { cidr_block: '10.0.0.0/16', cidr: 'x' } } } })).toThrow(
      'aws_vpc.v.cidr: "cidr" is neither an attribute nor a block in the provider schema',
    );
  });

  it('rejects resource types the provider does not have, and unknown top-level sections', () => {
    expect(() => hcl({ resource: { aws_nothing: { x: {} } } })).toThrow(
      'aws_nothing.x: resource type aws_nothing is not in the provider schema',
    );
    expect(() => hcl({ check: {} })).toThrow('Unsupported top-level section "check"');
  });
});

describe('arguments', () => {
  it('come in one order: what identifies the object, required, optional (one-line before multi-line), tags last', () => {
    const json = {
      resource: {
        aws_cloudwatch_metric_alarm: {
          a: {
            tags: { Team: 'ops' },
            alarm_actions: ['${aws_sns_topic.first.arn}', '${aws_sns_topic.second.arn}', '${aws_sns_topic.the_third_one.arn}'],
            threshold: 80,
            period: 60,
            evaluation_periods: 3,
            comparison_operator: 'GreaterThanThreshold',
            dimensions: { InstanceId: 'i-1' },
            alarm_description: 'CPU high',
            alarm_name: 'cpu',
            actions_enabled: true,
            metric_query: [{ return_data: true, label: 'l', id: 'm1' }],
          },
        },
      },
    };
    expect(hcl(json)).toBe(
      [
        'resource "aws_cloudwatch_metric_alarm" "a" {',
        '  alarm_name          = "cpu"',
        '  alarm_description   = "CPU high"',
        '  comparison_operator = "GreaterThanThreshold"',
        '  evaluation_periods  = 3',
        '  actions_enabled     = true',
        '  period              = 60',
        '  threshold           = 80',
        '  alarm_actions = [',
        '    aws_sns_topic.first.arn,',
        '    aws_sns_topic.second.arn,',
        '    aws_sns_topic.the_third_one.arn,',
        '  ]',
        '  dimensions = {',
        '    InstanceId = "i-1"',
        '  }',
        '  tags = {',
        '    Team = "ops"',
        '  }',
        '',
        '  metric_query {',
        '    id          = "m1"',
        '    label       = "l"',
        '    return_data = true',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('are typed by the schema: a bool or number attribute given as a string is written as the value Terraform reads', () => {
    const alarm = {
      alarm_name: 'x',
      alarm_description: 'true',
      actions_enabled: 'false',
      evaluation_periods: '3',
      threshold: '80.5',
      period: '060',
    };
    expect(hcl({ resource: { aws_cloudwatch_metric_alarm: { a: alarm } } })).toBe(
      [
        'resource "aws_cloudwatch_metric_alarm" "a" {',
        '  alarm_name         = "x"',
        '  alarm_description  = "true"',
        '  evaluation_periods = 3',
        '  actions_enabled    = false',
        // Not a number as Terraform would print it: left for Terraform to convert.
        '  period             = "060"',
        '  threshold          = 80.5',
        '}',
      ].join('\n'),
    );
  });
});

describe('meta-arguments', () => {
  it('orders count/provider first, lifecycle then depends_on last, references as expressions', () => {
    const json = {
      resource: {
        aws_vpc: {
          v: {
            count: '${length(var.cidrs)}',
            provider: 'aws.east',
            cidr_block: '${var.cidrs[count.index]}',
            tags: { Name: 'x', 'kubernetes.io/role': 'y' },
            lifecycle: {
              create_before_destroy: true,
              prevent_destroy: true,
              ignore_changes: ['tags["Name"]', 'cidr_block'],
              replace_triggered_by: ['aws_s3_bucket.b', '${aws_s3_bucket.b.id}'],
              precondition: [{ condition: '${var.ok}', error_message: 'not ok' }],
            },
            depends_on: ['aws_s3_bucket.b', '${aws_iam_policy.p}'],
          },
        },
      },
    };
    expect(hcl(json)).toBe(
      [
        'resource "aws_vpc" "v" {',
        '  count    = length(var.cidrs)',
        '  provider = aws.east',
        '',
        '  cidr_block = var.cidrs[count.index]',
        '  tags = {',
        '    Name                 = "x"',
        '    "kubernetes.io/role" = "y"',
        '  }',
        '',
        '  lifecycle {',
        '    create_before_destroy = true',
        '    prevent_destroy       = true',
        '    ignore_changes        = [tags["Name"], cidr_block]',
        '    replace_triggered_by  = [aws_s3_bucket.b, aws_s3_bucket.b.id]',
        '',
        '    precondition {',
        '      condition     = var.ok',
        '      error_message = "not ok"',
        '    }',
        '  }',
        '',
        '  depends_on = [aws_s3_bucket.b, aws_iam_policy.p]',
        '}',
      ].join('\n'),
    );
  });

  it('writes ignore_changes = all, for_each, and dynamic blocks with their content', () => {
    const json = {
      resource: {
        aws_bucket_rules: {
          r: {
            for_each: '${toset(var.buckets)}',
            bucket: '${each.key}',
            dynamic: { rule: { for_each: '${var.rules}', iterator: 'r', content: { id: '${r.value.id}', status: 'Enabled' } } },
            lifecycle: { ignore_changes: 'all' },
          },
        },
      },
    };
    expect(hcl(json)).toBe(
      [
        'resource "aws_bucket_rules" "r" {',
        '  for_each = toset(var.buckets)',
        '',
        '  bucket = each.key',
        '',
        '  dynamic "rule" {',
        '    for_each = var.rules',
        '    iterator = r',
        '',
        '    content {',
        '      id     = r.value.id',
        '      status = "Enabled"',
        '    }',
        '  }',
        '',
        '  lifecycle {',
        '    ignore_changes = all',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('rejects a depends_on entry that is not a reference', () => {
    expect(() => hcl({ resource: { aws_vpc: { v: { depends_on: ['not a reference'] } } } })).toThrow(
      'aws_vpc.v.depends_on: "not a reference" is not a reference',
    );
  });
});

describe('top-level sections', () => {
  it('splits the terraform block: versions, and the backend with literal settings', () => {
    const json = {
      terraform: {
        required_version: '>= 1.10.0',
        required_providers: TERRAFORM.required_providers,
        backend: { s3: { bucket: 'state-${literally}', key: 'a/b.tfstate', encrypt: true, use_lockfile: true } },
      },
    };
    const blocks = convert(json, SCHEMAS);
    expect(blocks.map((b) => b.kind)).toEqual(['terraform', 'backend']);
    expect(blocks[0].text).toBe(
      [
        'terraform {',
        '  required_version = ">= 1.10.0"',
        '',
        '  required_providers {',
        '    aws = {',
        '      source  = "hashicorp/aws"',
        '      version = "5.100.0"',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(blocks[1].text).toBe(
      [
        'terraform {',
        '  backend "s3" {',
        '    bucket       = "state-$${literally}"',
        '    key          = "a/b.tfstate"',
        '    encrypt      = true',
        '    use_lockfile = true',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('writes providers with their blocks and alias', () => {
    const provider = {
      aws: [
        { region: 'eu-west-1', default_tags: [{ tags: { Project: 'web' } }] },
        { alias: 'east', region: 'us-east-1' },
      ],
    };
    expect(hcl({ provider }, 'provider')).toBe(
      [
        'provider "aws" {',
        '  region = "eu-west-1"',
        '',
        '  default_tags {',
        '    tags = {',
        '      Project = "web"',
        '    }',
        '  }',
        '}',
        '',
        'provider "aws" {',
        '  alias  = "east"',
        '  region = "us-east-1"',
        '}',
      ].join('\n'),
    );
  });

  it('writes data sources, locals, variables, outputs and moved blocks', () => {
    const json = {
      data: { aws_ami: { al2023: { most_recent: true, owners: ['amazon'] } } },
      locals: { script: 'echo ${var.name}\necho done\n' },
      variable: { name: { type: 'string', default: '${not a template}', description: 'The name' } },
      output: {
        arn: {
          value: '${data.aws_ami.al2023.arn}',
          description: 'Costs $${x}? No: ${x}',
          sensitive: true,
          depends_on: ['data.aws_ami.al2023'],
        },
      },
      moved: [{ from: 'aws_vpc.old', to: 'aws_vpc.new' }],
    };
    expect(hcl(json)).toBe(
      [
        'data "aws_ami" "al2023" {',
        '  most_recent = true',
        '  owners      = ["amazon"]',
        '}',
        '',
        'locals {',
        '  script = <<EOT',
        'echo ${var.name}',
        'echo done',
        'EOT',
        '}',
        '',
        'variable "name" {',
        '  type        = string',
        '  default     = "$${not a template}"',
        '  description = "The name"',
        '}',
        '',
        'output "arn" {',
        '  value       = data.aws_ami.al2023.arn',
        '  description = "Costs $$${x}? No: $${x}"',
        '  sensitive   = true',
        '',
        '  depends_on = [data.aws_ami.al2023]',
        '}',
        '',
        'moved {',
        '  from = aws_vpc.old',
        '  to   = aws_vpc.new',
        '}',
      ].join('\n'),
    );
  });
});

describe('files by concern', () => {
  it('order a file by type, a resource after the resources it refers to, a moved block after its resource', () => {
    const json = {
      resource: {
        aws_route53_record: { alias: { name: 'app' }, validation: { name: '${aws_acm_certificate.cert.domain_name}' } },
        aws_acm_certificate_validation: {
          check: { certificate_arn: '${aws_acm_certificate.cert.arn}', validation_record_fqdns: ['${aws_route53_record.validation.fqdn}'] },
        },
        aws_acm_certificate: { cert: { domain_name: 'app' } },
      },
      moved: [{ from: 'aws_route53_record.old', to: 'aws_route53_record.validation["app"]' }],
    };
    const files = renderStack('s', convert({ terraform: TERRAFORM, ...json }, SCHEMAS));
    expect([...files.keys()]).toEqual(['versions.tf', 'dns.tf']);
    const order = [...(files.get('dns.tf') as string).matchAll(/^(?:resource "\w+" "(\w+)"|(moved)) \{/gm)].map((m) => m[1] ?? m[2]);
    expect(order).toEqual(['cert', 'validation', 'moved', 'check', 'alias']);
  });

  it.each([
    ['aws_vpc', 'network.tf'],
    ['aws_vpc_endpoint', 'network.tf'],
    ['aws_route', 'network.tf'],
    ['aws_route_table_association', 'network.tf'],
    ['aws_vpc_security_group_ingress_rule', 'security.tf'],
    ['aws_default_security_group', 'security.tf'],
    ['aws_iam_role', 'iam.tf'],
    ['aws_kms_key', 'encryption.tf'],
    ['aws_lb_listener', 'load_balancer.tf'],
    ['aws_cloudfront_distribution', 'edge.tf'],
    ['aws_cloudwatch_log_delivery', 'monitoring.tf'],
    ['aws_route53_record', 'dns.tf'],
    ['aws_s3_bucket_policy', 'storage.tf'],
    ['aws_db_instance', 'database.tf'],
    ['aws_autoscaling_policy', 'compute.tf'],
    ['aws_cloudwatch_log_group', 'monitoring.tf'],
    ['aws_ssm_parameter', 'main.tf'],
    ['random_id', 'main.tf'],
  ])('%s goes to %s', (type, file) => {
    expect(routeResource(type).file).toBe(file);
  });
});
