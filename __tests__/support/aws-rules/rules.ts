/**
 * How an AWS rule is checked: a function from a synthesized stack to its problems (`<address>: <what AWS
 * refuses or does>`), run over every stack under test, and over a copy broken on purpose to show it can fail.
 */
import type { StackJson } from '../synth';
import { copyOfStackWith, stacksUnderTest } from './synthesized';

/** The problems one stack has with a rule; none when AWS accepts it. */
export type Check = (stack: StackJson) => string[];

/** The problems of every stack under test, each prefixed with the stack and its config. */
export function problemsInEveryStack(check: Check): string[] {
  return stacksUnderTest().flatMap((s) => check(s.json).map((problem) => `${s.label}: ${problem}`));
}

/** How many stacks under test hold a resource of `type` (a rule that checks nothing proves nothing). */
export function stacksWith(type: string): number {
  return stacksUnderTest().filter((s) => Object.keys(s.json.resource?.[type] ?? {}).length > 0).length;
}

/**
 * The problems `check` finds in a copy of the first stack under test that holds a resource of `type`, after
 * `edit` broke it the way the test says.
 */
export function problemsOfBroken(check: Check, type: string, edit: (stack: StackJson) => void): string[] {
  const stack = copyOfStackWith(type);
  edit(stack);
  return check(stack);
}

/** The only resource of `type` in `stack`, or the one named `name` (for edits). */
export function bodyOf(stack: StackJson, type: string, name?: string): Record<string, any> {
  const all = stack.resource?.[type] ?? {};
  const key = name ?? Object.keys(all)[0];
  const body = all[key];
  if (!body) throw new Error(`no ${type}${name ? `.${name}` : ''} in the stack`);
  return body;
}
