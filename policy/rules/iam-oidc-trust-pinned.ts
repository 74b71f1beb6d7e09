import { COMPLIANT, NOT_APPLICABLE, defineRule, nonCompliant, scanners } from '../rule';
import { matchesPattern, statementsOf, type Statement } from '../policy-document';
import { listOf } from '../tokens';

/** The actions that assume a role with a token of an identity provider (sts:AssumeRoleWith*). */
const FEDERATED_ACTIONS = ['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'];

/** True when the statement allows one of FEDERATED_ACTIONS, however written: a wildcard, any case, NotAction. */
function allowsFederatedAssume(s: Statement): boolean {
  const named = (action: string) => s.actions.some((a) => matchesPattern(a, action, true));
  return s.notAction ? FEDERATED_ACTIONS.some((a) => !named(a)) : FEDERATED_ACTIONS.some(named);
}

/** True when an identity provider can be the principal: a Federated one, everyone ("*") or NotPrincipal. */
const federatedPrincipal = (s: Statement) =>
  s.notPrincipal || s.principals.includes('*') || Object.keys(s.principalsByType).some((t) => t.toLowerCase() === 'federated');

/** The values of the `StringEquals` condition whose key ends with `:<claim>` (`…githubusercontent.com:sub`). */
function pinned(condition: Statement['condition'], claim: 'aud' | 'sub'): { key: string; value: string }[] {
  const equals = condition.StringEquals ?? {};
  return Object.entries(equals)
    .filter(([key]) => key.toLowerCase().endsWith(`:${claim}`))
    .flatMap(([key, values]) => listOf(values).map((value) => ({ key: key.toLowerCase(), value: String(value) })));
}

/**
 * How the subject of a CI host names the repository, by issuer: GitHub's `repo:<owner>/<name>:…` (its default
 * subject template; a customised one that leaves the repository out names none), GitLab's
 * `project_path:<group>/<project>:…`. Tokens of other issuers (a cluster's service accounts, a SAML identity
 * provider) have no repository: their sub is only required to be pinned.
 */
const SUBJECTS: readonly { readonly issuer: string; readonly repository: RegExp }[] = [
  { issuer: 'token.actions.githubusercontent.com', repository: /^repo:([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+):/ },
  { issuer: 'gitlab.com', repository: /^project_path:([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+):/ },
];

export const rule = defineRule({
  id: 'iam-oidc-trust-pinned',
  what: "A role assumed with an identity provider's token (sts:AssumeRoleWith*) pins aud and sub with StringEquals, no wildcard, and a CI host's sub names one repository.",
  why: 'Without sub every repository, branch or project of the CI host can assume the role with a token of its own; without aud a token minted for another service is accepted.',
  scanners: scanners({}),
  resourceTypes: ['aws_iam_role'],
  check: (role) => {
    const statements = statementsOf(role.config.assume_role_policy);
    if (!statements) return nonCompliant('the trust policy cannot be read at synth');
    const federated = statements.filter((s) => s.effect === 'Allow' && allowsFederatedAssume(s) && federatedPrincipal(s));
    if (federated.length === 0) return NOT_APPLICABLE;
    const repositories = new Set<string>();
    for (const s of federated) {
      for (const claim of ['aud', 'sub'] as const) {
        const values = pinned(s.condition, claim);
        if (values.length === 0) return nonCompliant(`a statement allowing sts:AssumeRoleWith* has no StringEquals condition on ${claim}`);
        const wild = values.filter((v) => /[*?]/.test(v.value));
        if (wild.length > 0) return nonCompliant(`the ${claim} condition has a wildcard: ${wild.map((v) => v.value).join(', ')}`);
      }
      for (const { key, value } of pinned(s.condition, 'sub')) {
        const host = SUBJECTS.find((h) => key.startsWith(h.issuer));
        if (!host) continue;
        const repository = host.repository.exec(value)?.[1];
        if (repository === undefined) return nonCompliant(`the sub ${JSON.stringify(value)} names no repository of ${host.issuer}`);
        repositories.add(`${host.issuer} ${repository}`);
      }
    }
    if (repositories.size > 1)
      return nonCompliant(`the sub names more than one repository: ${[...repositories].map((r) => r.split(' ')[1]).join(', ')}`);
    return COMPLIANT;
  },
});
