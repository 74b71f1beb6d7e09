/**
 * Real constructs for the rule tests: a bare test stack with readable addresses and small builders for the
 * resources rules look across (a VPC with subnets in two zones, a KMS key, a topic).
 */
import { App, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { runRule } from '../../policy/engine';
import type { RuleResult } from '../../policy/rule';
import { ruleById } from '../../policy/rules';
import { viewOf } from '../../policy/view';
import { ReadableStack } from '../../stacks/readable-stack';

class TestStack extends ReadableStack {}

/** A fresh stack (addresses `<type>.<id>`). */
export function testStack(): TerraformStack {
  return new TestStack(new App({ stackTraces: false }), 'test');
}

/** Runs rule `id` on the resource at `address` of `stack`, as the aspect would. */
export function check(id: string, stack: TerraformStack, address: string): RuleResult {
  const { view } = viewOf(stack);
  const resource = view.get(address);
  if (!resource) throw new Error(`no ${address} in the test stack; have ${view.resources.map((r) => r.address).join(', ')}`);
  return runRule(ruleById(id), resource, view);
}

export function key(scope: Construct, id = 'key'): KmsKey {
  return new KmsKey(scope, id, { enableKeyRotation: true });
}

export function topic(scope: Construct, id = 'topic'): SnsTopic {
  return new SnsTopic(scope, id, { name: id });
}

/** A VPC with one subnet in each of `zones` (ids `subnet_a`, `subnet_b`, …). */
export function network(scope: Construct, zones: readonly string[] = ['eu-west-1a', 'eu-west-1b']): { vpc: Vpc; subnets: Subnet[] } {
  const vpc = new Vpc(scope, 'vpc', { cidrBlock: '10.0.0.0/16' });
  const subnets = zones.map(
    (az, i) => new Subnet(scope, `subnet_${az.slice(-1)}`, { vpcId: vpc.id, availabilityZone: az, cidrBlock: `10.0.${i}.0/24` }),
  );
  return { vpc, subnets };
}
