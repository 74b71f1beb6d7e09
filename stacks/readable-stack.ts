import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Tokenization } from 'cdktf';
import type { Node } from 'constructs';
import { preparedElements } from '../policy/view';

/** The resolver cdktf's own preparing pass uses. */
const PREPARE_RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Child id that is left out of Terraform addresses. */
export const DEFAULT_CHILD = 'default';

/**
 * A stack whose Terraform addresses are the construct path joined by `_` (`network_vpc`,
 * `database_instance`) instead of cdktf's default path plus hash. Addresses are the contract with the
 * state: renaming a construct id renames the address, which Terraform plans as destroy + create, so ids
 * are chosen once and kept. A construct whose id is `default` adds nothing to the address (as in
 * aws-cdk), so a wrapper's main resource is named after the wrapper. Two paths that would collapse into
 * one address fail the synth.
 */
export abstract class ReadableStack extends TerraformStack {
  private readonly allocated = new Map<string, string>();

  /**
   * cdktf resolves every element once in "preparing" mode before synthesis, to register cross-stack
   * references, then once more to write it. The policy pack's view (run on every stack by `buildStacks`)
   * already resolved the resources and locals in that mode, so here only the other elements are prepared:
   * same output, one full resolution less per stack (__tests__/synth-cli.test.ts compares with
   * CDKTF_FAST_SYNTH=0, which prepares everything). The one thing this would miss is an element edited
   * after `buildStacks` so that it gains a reference into another stack; this app has no cross-stack
   * references, and new elements (the way cdktf adds cross-stack outputs) are always prepared.
   */
  override prepareStack(): void {
    if (process.env.CDKTF_FAST_SYNTH === '0') return super.prepareStack();
    this.ensureBackendExists();
    for (const element of this.node.findAll()) {
      if (TerraformElement.isTerraformElement(element) && element.cdktfStack === this && !preparedElements.has(element)) {
        Tokenization.resolve(element.toTerraform(), { scope: this, preparing: true, resolver: PREPARE_RESOLVER });
      }
    }
  }

  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const scopes = node.scopes;
    const components = scopes
      .slice(scopes.indexOf(this) + 1)
      .map((c) => c.node.id)
      .filter((id) => id !== DEFAULT_CHILD);
    if (components.length === 0) return '';
    const id = components.join('_').replace(/[^A-Za-z0-9_-]/g, '_');
    const path = node.path;
    const owner = this.allocated.get(id);
    if (owner !== undefined && owner !== path) {
      throw new Error(`Terraform address collision in ${this.node.id}: "${id}" is claimed by ${owner} and ${path}`);
    }
    this.allocated.set(id, path);
    return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
  }
}
