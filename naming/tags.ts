/**
 * Tags as AWS defines them, and the ones the stacks set themselves. AWS allows 50 tags per resource, keys of
 * 1–128 and values of 0–256 UTF-16 code units from one character set, no keys starting with `aws:`, and IAM
 * compares keys without regard to case (Tagging AWS resources, "Tag naming limits and requirements", read
 * 2026-12-01: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
 */

/** Tags on every resource of an environment stack (provider `default_tags`). */
export function environmentTags(project: string, environment: string): Record<string, string> {
  return { Project: project, Environment: environment, ManagedBy: 'cdktf' };
}

/** Tags on every resource of the bootstrap stack. */
export function stateStackTags(project: string): Record<string, string> {
  return { Project: project, Purpose: 'terraform-state', ManagedBy: 'cdktf' };
}

/** Keys the environment stacks set: on every resource, and on some resources (`Name`, the subnets' `Tier`). */
export const STACK_TAG_KEYS: readonly string[] = Object.keys(environmentTags('p', 'e'));
export const CONSTRUCT_TAG_KEYS: readonly string[] = ['Name', 'Tier'];

/** Tags AWS allows on one resource. */
export const MAX_TAGS_PER_RESOURCE = 50;
/** Tags a config may add: what is left on the resource that carries the most tags of ours. */
export const MAX_USER_TAGS = MAX_TAGS_PER_RESOURCE - STACK_TAG_KEYS.length - CONSTRUCT_TAG_KEYS.length;

/** Characters of tag keys and values (letters, numbers and spaces in any script, and `_ . : / = + - @`). */
export const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_CHARACTERS_TEXT = 'letters, digits, spaces or _ . : / = + - @';
export const MAX_TAG_KEY = 128;
export const MAX_TAG_VALUE = 256;
