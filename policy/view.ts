/**
 * The stack as rules see it: every managed resource with its synthesized (token-resolved, snake_case)
 * configuration, addressed as in Terraform, plus the stack's locals. Built from the construct tree, so a
 * rule can follow references between resources to prove what a single value cannot show.
 */
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformLocal,
  TerraformResource,
  Tokenization,
  type TerraformElement,
  type TerraformStack,
} from 'cdktf';
import type { IConstruct } from 'constructs';
import { listOf, referenceOf } from './tokens';

/** One managed resource. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  /** `<type>.<name>`, the Terraform address. */
  readonly address: string;
  /** Construct path, e.g. `web-prod/database/instance`. */
  readonly path: string;
  /** Synthesized arguments, including `lifecycle` and `depends_on`, without cdktf's `//` metadata. */
  readonly config: Readonly<Record<string, any>>;
}

export class StackView {
  private readonly byAddress = new Map<string, ResourceView>();
  private readonly serialized = new Map<ResourceView, string>();

  constructor(
    readonly resources: readonly ResourceView[],
    /** Local values by name. */
    readonly locals: Readonly<Record<string, unknown>> = {},
  ) {
    for (const r of resources) this.byAddress.set(r.address, r);
  }

  ofType(type: string): ResourceView[] {
    return this.resources.filter((r) => r.type === type);
  }

  get(address: string): ResourceView | undefined {
    return this.byAddress.get(address);
  }

  /** The resource `value` refers to, when it is a plain reference to one (of `type`, when given). */
  target(value: unknown, type?: string): ResourceView | undefined {
    const ref = referenceOf(value);
    if (!ref || (type !== undefined && ref.type !== type)) return undefined;
    return this.byAddress.get(ref.address);
  }

  /** Resources of `type` whose argument `field` (a value or a list) refers to `resource` (any attribute). */
  referrers(type: string, field: string, resource: ResourceView): ResourceView[] {
    return this.ofType(type).filter((r) => listOf(r.config[field]).some((v) => referenceOf(v)?.address === resource.address));
  }

  /** `resource`'s configuration as JSON, serialized once per view (rules search it for references). */
  jsonOf(resource: ResourceView): string {
    let json = this.serialized.get(resource);
    if (json === undefined) this.serialized.set(resource, (json = JSON.stringify(resource.config)));
    return json;
  }

  /** True when any argument of any resource refers to `resource` (any attribute), at any depth. */
  isReferenced(resource: ResourceView): boolean {
    const needle = `\${${resource.address}.`;
    return this.resources.some((r) => r !== resource && this.jsonOf(r).includes(needle));
  }

  /** Availability zone of the subnet `value` refers to (a literal zone), else undefined. */
  zoneOfSubnet(value: unknown): string | undefined {
    const zone = this.target(value, 'aws_subnet')?.config.availability_zone;
    return typeof zone === 'string' && !zone.includes('${') ? zone : undefined;
  }
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * Elements whose configuration the policy view has resolved in cdktf's *preparing* mode. That mode differs
 * from the final one only in registering cross-stack references (cdktf's Reference token is the one place
 * that reads the flag), and the result is the same; so the stack's own preparing pass, which resolves
 * every element again before synthesis, can skip these (ReadableStack.prepareStack).
 */
export const preparedElements = new WeakSet<TerraformElement>();

/** Tokens in `value` replaced by what cdktf will write (the same resolver the synthesizer uses). */
function resolve(stack: TerraformStack, element: TerraformElement): unknown {
  const resolved = Tokenization.resolve(element.toTerraform(), { scope: stack, preparing: true, resolver: RESOLVER });
  preparedElements.add(element);
  return resolved;
}

/** Every managed resource and local of `stack`, resolved as they will be synthesized. */
export function viewOf(stack: TerraformStack): { view: StackView; constructs: Map<string, IConstruct> } {
  const resources: ResourceView[] = [];
  const constructs = new Map<string, IConstruct>();
  const locals: Record<string, unknown> = {};
  for (const node of stack.node.findAll()) {
    if (node instanceof TerraformResource) {
      const tf = resolve(stack, node) as { resource?: Record<string, Record<string, Record<string, any>>> };
      for (const [type, byName] of Object.entries(tf.resource ?? {})) {
        for (const [name, body] of Object.entries(byName)) {
          const { ['//']: _metadata, ...config } = body;
          const address = `${type}.${name}`;
          resources.push({ type, name, address, path: node.node.path, config });
          constructs.set(address, node);
        }
      }
    } else if (node instanceof TerraformLocal) {
      const tf = resolve(stack, node) as { locals?: Record<string, unknown> };
      Object.assign(locals, tf.locals ?? {});
    }
  }
  return { view: new StackView(resources, locals), constructs };
}
