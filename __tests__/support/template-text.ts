/**
 * Config text that Terraform would read as a template if it reached a string of the synthesized JSON as written:
 * an interpolation (`${x}`, an undeclared reference: the plan fails) and directives (`%{ if … }`: the value
 * changes). Placed in every free-text field the validation lets through (config/schema.ts), and in the one it
 * refuses (the CSP) through a validated config edited afterwards, as code building the constructs could.
 */
import { platform } from '../../config/environments';
import type { PlatformConfig, PlatformInput } from '../../config/types';
import { validateConfig } from '../../config/validate';
import { CONTAINER_RELEASE } from './config';

export const TEMPLATE_EMAIL = 'ops${x}%{x}@example.com';
export const TEMPLATE_VALUE = '${x} %{ if true }y%{ endif } $${x} %%{x}';
export const TEMPLATE_COMMAND = ['echo', '${x}', '%{x}'];
export const TEMPLATE_REASON = 'An upstream CDN with its own WAF filters ${x} and %{ if true }all%{ endif } traffic first.';
export const TEMPLATE_CSP = "default-src 'self' ${x}; img-src %{ if true }'self'%{ endif }";

/** The shipped config with template text in every free-text field that reaches a stack. */
export function templateTextConfig(): PlatformInput {
  const copy = structuredClone(platform) as any;
  for (const env of copy.environments) {
    env.application = { ...structuredClone(CONTAINER_RELEASE), environment: { TEMPLATE: TEMPLATE_VALUE }, command: TEMPLATE_COMMAND };
    env.alarmEmail = TEMPLATE_EMAIL;
  }
  const dev = copy.environments.find((e: any) => e.name === 'dev');
  dev.webFirewall = { enabled: false };
  dev.policySuppressions = [{ rule: 'elb-waf', reason: TEMPLATE_REASON }];
  return copy;
}

/** The shipped config, validated, then given `TEMPLATE_CSP` on every front-end (which validation refuses). */
export function templateCspConfig(): PlatformConfig {
  const valid = validateConfig(platform);
  return {
    ...valid,
    environments: valid.environments.map((e) => ({
      ...e,
      frontends: e.frontends.map((f) => ({ ...f, contentSecurityPolicy: TEMPLATE_CSP })),
    })),
  };
}
