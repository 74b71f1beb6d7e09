import { Construct } from 'constructs';
import { TerraformElement, type TerraformResource } from 'cdktf';

export interface MovedProps {
  /** The address the object had (`aws_route53_record.load_balancer_certificate_validation_record`). */
  readonly from: string;
  /** The address it has now, with its instance key where it has one. */
  readonly to: string;
}

/**
 * A Terraform `moved` block: the object in the state at `from` is now at `to`, so Terraform renames it in
 * the state instead of destroying it and creating it anew. Keep it once written: a stack deployed before
 * the change may be applied any time later. (cdktf's own `moveTo`/`moveFromId` need the old resource to
 * stay in the code under another id, or cannot name an instance key; this writes the block directly.)
 */
export class Moved extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: MovedProps,
  ) {
    super(scope, id, 'moved');
  }

  override toTerraform(): Record<string, unknown> {
    return { moved: [{ from: this.props.from, to: this.props.to }] };
  }
}

/** The address of `resource`, or of its instance `key` when it has `for_each`. */
export function resourceAddress(resource: TerraformResource, key?: string): string {
  const address = `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
  return key === undefined ? address : `${address}[${JSON.stringify(key)}]`;
}
