/**
 * The boot script as Terraform renders it, for a config whose values are hostile to every layer they pass
 * (shell quotes and substitutions, heredoc ends, Terraform `${…}` and `%{…}`, JSON quotes and backslashes):
 * the synthesized locals, with the references to resources replaced by literals, are evaluated by real
 * Terraform, and the script it yields is run in a sandbox. The files it writes carry every value unchanged
 * and it makes only the calls it always makes — independent of what validation lets through.
 *
 * Free text the stacks write into resource attributes (the alarm e-mail; a CSP given to the constructs) is
 * evaluated by real Terraform too, beside the `//` comments that record suppression reasons as written: it
 * reads back exactly the text of the config (terraform-literals.test.ts has the unit-level checks).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformWorkdir } from '../harness/terraform';
import { CONTAINER_RELEASE, withContainerReleases } from './support/config';
import { environmentStacks } from './support/stacks';
import { resources, synth, synthValidated } from './support/synth';
import { TEMPLATE_CSP, TEMPLATE_EMAIL, TEMPLATE_REASON, templateCspConfig, templateTextConfig } from './support/template-text';
import { validateConfig } from '../config/validate';

/** Values the schema accepts (single-line, no control characters) that would break a naive script. */
const HOSTILE: Record<string, string> = {
  SINGLE_QUOTE: "it's'; touch PWNED; echo '",
  DOUBLE_QUOTE: 'say "hi"',
  BACKSLASH: 'C:\\dir\\n',
  SUBSTITUTION: '$(touch PWNED)',
  BACKTICKS: '`touch PWNED`',
  TERRAFORM_INTERPOLATION: '${path.cwd}',
  TERRAFORM_DIRECTIVE: '%{ if true }x%{ endif }',
  ESCAPED_INTERPOLATION: '$${x}',
  HEREDOC_END: 'EOT',
  UNICODE: 'é 😀 \u2028',
};
const COMMAND = ['sh', '-c', "echo '$HOME' && touch PWNED", '%{ for x in [1] }${x}%{ endfor }'];

const input = withContainerReleases(undefined, { ...CONTAINER_RELEASE, environment: HOSTILE, command: COMMAND });
const config = validateConfig(input);
const { stacks } = synth(input);
const configured = environmentStacks(config);

/** Replaces every reference to a resource or data source by a literal: the locals then evaluate without providers. */
function withoutReferences(value: unknown): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{(?:data\.)?aws_[a-z0-9_]+\.[a-z0-9_]+(?:\.[a-z0-9_]+|\[\d+\])*\}/g, 'resolved-at-apply');
  if (Array.isArray(value)) return value.map(withoutReferences);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutReferences(v)]));
  return value;
}

const scratch = mkdtempSync(join(tmpdir(), 'boot-tf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(configured.map(({ stack }) => stack))('%s with hostile application values', (name) => {
  let script: string;

  beforeAll(async () => {
    const locals = stacks[name].locals!;
    const work = TerraformWorkdir.fromDirectory(undefined, {
      'main.tf.json': JSON.stringify({
        locals: {
          app_servers_platform_settings: withoutReferences(locals.app_servers_platform_settings),
          app_servers_user_data: locals.app_servers_user_data,
        },
        output: { script: { value: '${local.app_servers_user_data}' } },
      }),
    });
    try {
      await work.init();
      await work.run(['apply', '-auto-approve', '-input=false', '-no-color']);
      script = (await work.run(['output', '-raw', 'script'])).stdout;
    } finally {
      work.remove();
    }
  }, 300_000);

  it('runs and writes every value exactly as configured, and nothing it says runs', () => {
    const dir = join(scratch, name);
    const root = join(dir, 'root');
    const bin = join(dir, 'bin');
    mkdirSync(root, { recursive: true });
    mkdirSync(bin);
    const calls = join(dir, 'calls');
    for (const tool of ['docker', 'systemctl', 'aws', 'dnf', 'useradd', 'chgrp']) {
      writeFileSync(join(bin, tool), `#!/bin/bash\n{ printf '%s' "$(basename "$0")"; printf '\\t%s' "$@"; printf '\\n'; } >> "$CALLS"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    writeFileSync(join(dir, 'user-data.sh'), script);
    const run = spawnSync('bash', [join(dir, 'user-data.sh')], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, WEBAPP_ROOT: root, CALLS: calls, HOME: dir },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    const settings = JSON.parse(readFileSync(join(root, 'etc/webapp/settings.json'), 'utf8'));
    expect(settings.environment).toMatchObject(HOSTILE);
    expect(settings.command).toEqual(COMMAND);
    const platform = JSON.parse(readFileSync(join(root, 'etc/webapp/platform.json'), 'utf8'));
    expect(Object.values(platform.environment)).toEqual(Object.values(platform.environment).map(() => 'resolved-at-apply'));

    expect(
      readFileSync(calls, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['dnf', 'systemctl', 'systemctl', 'systemctl']);
    const everything = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everything(join(d, e.name)) : [e.name]));
    expect(everything(dir).filter((f) => f.includes('PWNED'))).toEqual([]);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });
});

describe('free text in resource attributes, as Terraform reads it', () => {
  it('the alarm e-mail and a CSP with ${…} and %{…} are read as written; the // comments are not read', async () => {
    const text = synth(templateTextConfig()).stacks['web-dev'];
    const csp = synthValidated(templateCspConfig()).stacks['web-prod'];
    const [email] = Object.values(resources(text, 'aws_sns_topic_subscription')).map((s) => s.endpoint as string);
    const [policy] = Object.values(resources(csp, 'aws_cloudfront_response_headers_policy')).map(
      (p) => p.security_headers_config.content_security_policy.content_security_policy as string,
    );
    const work = TerraformWorkdir.fromDirectory(undefined, {
      'main.tf.json': JSON.stringify({
        '//': text['//'],
        locals: { email, policy, '//': { reason: TEMPLATE_REASON } },
        output: { email: { value: '${local.email}' }, policy: { value: '${local.policy}' } },
      }),
    });
    try {
      await work.init();
      await work.run(['apply', '-auto-approve', '-input=false', '-no-color']);
      const outputs = JSON.parse((await work.run(['output', '-json'])).stdout);
      expect({ email: outputs.email.value, policy: outputs.policy.value }).toEqual({ email: TEMPLATE_EMAIL, policy: TEMPLATE_CSP });
      expect(JSON.stringify(text['//'])).toContain(JSON.stringify(TEMPLATE_REASON));
    } finally {
      work.remove();
    }
  }, 120_000);
});
