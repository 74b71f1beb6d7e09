import { COMPLIANT, NOT_APPLICABLE, defineRule, nonCompliant, scanners } from '../rule';
import { statementsOf } from '../policy-document';
import { listOf } from '../tokens';

const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

/** The values of the `StringEquals` condition whose key ends with `:<claim>` (`…githubusercontent.com:sub`). */
function pinned(condition: Readonly<Record<string, Record<string, unknown>>>, claim: 'aud' | 'sub'): string[] {
  const equals = condition.StringEquals ?? {};
  return Object.entries(equals)
    .filter(([key]) => key.endsWith(`:${claim}`))
    .flatMap(([, values]) => listOf(values).map(String));
}

export const rule = defineRule({
  id: 'iam-oidc-trust-pinned',
  what: "A role assumed with an OpenID Connect token pins the audience and the subject: StringEquals on the issuer's aud and sub, no wildcard.",
  why: 'Without sub every repository, branch or project of the CI host can assume the role with a token of its own; without aud a token minted for another service is accepted.',
  scanners: scanners({}),
  resourceTypes: ['aws_iam_role'],
  check: (role) => {
    const statements = statementsOf(role.config.assume_role_policy);
    if (!statements) return nonCompliant('the trust policy cannot be read at synth');
    const federated = statements.filter(
      (s) => s.effect === 'Allow' && s.actions.some((a) => a === WEB_IDENTITY || a === 'sts:*' || a === '*'),
    );
    if (federated.length === 0) return NOT_APPLICABLE;
    for (const s of federated) {
      for (const claim of ['aud', 'sub'] as const) {
        const values = pinned(s.condition, claim);
        if (values.length === 0) return nonCompliant(`a web-identity statement has no StringEquals condition on ${claim}`);
        const wild = values.filter((v) => /[*?]/.test(v));
        if (wild.length > 0) return nonCompliant(`the ${claim} condition has a wildcard: ${wild.join(', ')}`);
      }
    }
    return COMPLIANT;
  },
});
