/** What the workflows read from the config (npm run ci:matrix) and from a plan (npm run drift). */
import { platform, state } from '../config/environments';
import { validateConfig } from '../config/validate';
import { webStackName } from '../naming';
import { CiConfigError, ciMatrix, driftOf, driftReport, githubOutput } from '../commands/ci';
import { shipped } from './support/stacks';
import { withoutCi } from './support/config';

describe('npm run ci:matrix', () => {
  const matrix = ciMatrix(shipped);

  it('lists every environment in the config order, with its stack, region and roles', () => {
    expect(matrix.map((m) => m.environment)).toEqual(shipped.environments.map((e) => e.name));
    for (const [i, env] of shipped.environments.entries()) {
      expect(matrix[i]).toEqual({
        environment: env.name,
        stack: webStackName(shipped.project, env.name),
        region: env.region,
        // Each environment's roles are in its own account.
        planRoleArn: `arn:aws:iam::${env.accountId}:role/${shipped.project}-ci-plan-${env.name}`,
        deployRoleArn: `arn:aws:iam::${env.accountId}:role/${shipped.project}-ci-deploy-${env.name}`,
        sessionSeconds: shipped.state!.ci!.maxSessionHours * 3600,
      });
    }
  });

  it('writes one GitHub output line, environments=<json>', () => {
    const out = githubOutput(matrix);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(JSON.parse(out.slice('environments='.length))).toEqual(matrix);
  });

  it('refuses a config without CI roles, saying what to add', () => {
    expect(() => ciMatrix(validateConfig({ ...platform, state: withoutCi(state) }))).toThrow(CiConfigError);
    expect(() => ciMatrix(validateConfig({ ...platform, state: withoutCi(state) }))).toThrow(/state\.ci/);
  });
});

describe('the drift report', () => {
  const change = (address: string, ...actions: string[]) => ({ address, change: { actions } });

  it('names every resource the plan would change, and those changed outside Terraform', () => {
    const plan = {
      resource_changes: [
        change('aws_vpc.network_vpc', 'no-op'),
        change('aws_lb.load_balancer', 'update'),
        change('aws_db_instance.database_instance', 'delete', 'create'),
        change('data.aws_ssm_parameter.ami', 'read'),
      ],
      resource_drift: [change('aws_lb.load_balancer', 'update'), change('aws_security_group.app', 'update')],
    };
    expect(driftOf(plan)).toEqual([
      { address: 'aws_db_instance.database_instance', action: 'replace' },
      { address: 'aws_lb.load_balancer', action: 'update' },
      { address: 'aws_security_group.app', action: 'changed outside Terraform' },
    ]);
    const { markdown, exitCode } = driftReport('web-dev', plan);
    expect(exitCode).toBe(2);
    expect(markdown).toContain('### web-dev: 3 resources drifted');
    expect(markdown).toContain('| `aws_db_instance.database_instance` | replace |');
  });

  it('no change: exit 0 and says so', () => {
    expect(driftReport('web-dev', { resource_changes: [change('aws_vpc.network_vpc', 'no-op')] })).toEqual({
      markdown: expect.stringContaining('no drift'),
      exitCode: 0,
    });
  });
});
