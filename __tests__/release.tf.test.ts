/**
 * Real Terraform on every configured environment running a container release (the README's example),
 * with interface endpoints: validate, plan — the AMI's public SSM parameter read from moto on loopback,
 * so the plan names a concrete AMI — and a mock apply + destroy (`terraform test`) with the suite the
 * config calls for. The placeholder application goes through the same in web-stacks.tf.test.ts.
 */
import { webStackName } from '../naming';
import { plannedOfType } from '../harness/terraform';
import { validateConfig } from '../config/validate';
import { withContainerReleases } from './support/config';
import { exerciseStacksOnceForSuite } from './support/exercise';
import { suitesOf } from './support/mock-suites';
import { selectedStacks } from './support/stacks';
import { synth } from './support/synth';

const input = withContainerReleases();
for (const env of input.environments as unknown as Record<string, unknown>[]) env.interfaceEndpoints = true;
const config = validateConfig(input);
const suites = suitesOf(config);
const { stacks, dirs } = synth(input);
const names = selectedStacks(config.environments.map((e) => webStackName(config.project, e.name)));

// The plans read the AMI's public SSM parameter: moto on loopback answers it.
const outcomes = exerciseStacksOnceForSuite({ names, dirs, stacks, suites, timeoutMs: 900_000 });

describe.each(names)('%s with a container release', (name) => {
  it('passes terraform validate', () => {
    expect(outcomes[name].validate.stdout).toContain('Success! The configuration is valid.');
  });

  it('plans with the AMI read from the public parameter: the launch template names it', () => {
    const { plan } = outcomes[name];
    expect(plan.errored).toBe(false);
    const template = plannedOfType(plan, 'aws_launch_template')['aws_launch_template.app_servers_launch_template'];
    expect(template.image_id).toMatch(/^ami-[0-9a-f]{8,17}$/);
    const repositories = plannedOfType(plan, 'aws_ecr_repository');
    expect(repositories['aws_ecr_repository.registry']).toMatchObject({
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: [{ scan_on_push: true }],
    });
  });

  it('mock-applies and destroys, with every assertion of its suite passing', () => {
    const { stdout } = outcomes[name].mockApply;
    expect(stdout).toMatch(/Success! 1 passed, 0 failed\./);
  });
});
