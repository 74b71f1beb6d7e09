import { Token } from 'cdktf';

/*
 * A few AWS provider arguments that mean a boolean or a number are typed `string` in its schema (its SDK
 * keeps them tri-state: set true, set false, or unset), e.g. a launch template's `encrypted`,
 * `ebs_optimized`, `associate_public_ip_address`, a target group's `deregistration_delay`. Terraform
 * converts `true` to exactly "true" and `120` to "120", so passing the typed value plans the same; the
 * synthesized JSON and the plain-Terraform export then read `encrypted = true`, as Terraform is written.
 */

/** A boolean for an argument the provider types as a string. */
export function stringTypedBool(value: boolean): string {
  return Token.asString(value);
}

/** A number for an argument the provider types as a string. */
export function stringTypedNumber(value: number): string {
  return Token.asString(value);
}
