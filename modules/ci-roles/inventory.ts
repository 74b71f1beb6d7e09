/**
 * What an environment's stack holds, as the CI roles' derivation needs it: the Terraform types of its resources
 * and data sources with the region of each (the edge's are in us-east-1), and of its IAM roles the services
 * they are passed to, the AWS managed policies they attach and every action their own policies name. Read from
 * the construct tree as built (no token resolution), so deriving the roles costs the synth next to nothing.
 */
import { TerraformDataSource, TerraformResource, type TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';

export interface StackInventory {
  /** Managed resource types, each with the regions it is deployed to. */
  readonly resources: ReadonlyMap<string, ReadonlySet<string>>;
  /** Data source types, each with the regions it is read in. */
  readonly dataSources: ReadonlyMap<string, ReadonlySet<string>>;
  /** Services the stack's roles trust (`ec2.amazonaws.com`): what the deploy role passes them to. */
  readonly passedToServices: readonly string[];
  /** AWS managed policies the stack attaches to its roles. */
  readonly managedPolicyArns: readonly string[];
  /** Every action the stack's roles' own policies grant. */
  readonly workloadActions: readonly string[];
  /** Resource types the stack holds that take no tags (the provider sends none when it creates them). */
  readonly untaggedTypes: ReadonlySet<string>;
}

function regionOf(node: TerraformResource | TerraformDataSource, home: string): string {
  const provider = node.provider;
  return provider instanceof AwsProvider ? (provider.region ?? home) : home;
}

function add(map: Map<string, Set<string>>, type: string, region: string): void {
  if (!map.has(type)) map.set(type, new Set());
  map.get(type)!.add(region);
}

const list = <T>(value: T | readonly T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? [...value] : [value as T]);

interface Document {
  readonly Statement?: readonly {
    readonly Action?: string | readonly string[];
    readonly Principal?: { readonly Service?: string | readonly string[] };
  }[];
}

/** A policy document given as JSON (tokens stay strings inside it, so it parses as built). */
function parse(json: string | undefined, where: string): Document {
  if (json === undefined) return {};
  try {
    return JSON.parse(json) as Document;
  } catch {
    throw new Error(`${where}: its policy is not a JSON document the CI roles can be derived from`);
  }
}

/** The inventory of `stack`, whose default provider deploys to `home`. */
export function inventoryOf(stack: TerraformStack, home: string): StackInventory {
  const resources = new Map<string, Set<string>>();
  const dataSources = new Map<string, Set<string>>();
  const services = new Set<string>();
  const managed = new Set<string>();
  const actions = new Set<string>();
  const untagged = new Set<string>();
  const visit = (node: IConstruct) => {
    if (node instanceof TerraformResource) {
      add(resources, node.terraformResourceType, regionOf(node, home));
      // A type whose schema has `tags` gets the provider's default tags on create; one without has none.
      if (!('tagsInput' in node)) untagged.add(node.terraformResourceType);
    } else if (node instanceof TerraformDataSource) add(dataSources, node.terraformResourceType, regionOf(node, home));
    if (node instanceof IamRole) {
      for (const s of parse(node.assumeRolePolicyInput, node.node.path).Statement ?? [])
        list(s.Principal?.Service).forEach((v) => services.add(v));
      for (const inline of list(node.inlinePolicyInput as { policy?: string } | { policy?: string }[] | undefined))
        for (const s of parse(inline.policy, node.node.path).Statement ?? []) list(s.Action).forEach((a) => actions.add(a));
    }
    if (node instanceof IamRolePolicy)
      for (const s of parse(node.policyInput, node.node.path).Statement ?? []) list(s.Action).forEach((a) => actions.add(a));
    if (node instanceof IamRolePolicyAttachment && node.policyArnInput !== undefined) managed.add(node.policyArnInput);
  };
  for (const node of stack.node.findAll()) visit(node);
  return {
    resources,
    dataSources,
    passedToServices: [...services].sort(),
    managedPolicyArns: [...managed].sort(),
    workloadActions: [...actions].sort(),
    untaggedTypes: untagged,
  };
}
