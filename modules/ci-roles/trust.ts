/** Who may assume the CI roles: the CI host's OpenID Connect tokens, for one repository. */
import type { CiProvider } from '../../config/types';
import { policyDocument } from '../policy-statements';

/** What the roles trust, per CI host: the token issuer and the `sub` claims of each kind of run. */
export interface CiHost {
  /** Issuer URL of the host's OpenID Connect tokens. */
  readonly issuer: string;
  /** The `aud` claim the tokens carry for AWS. */
  readonly audience: string;
  /** `sub` of a run on `branch` (a push to it, a schedule on it). */
  readonly branchSubject: (repository: string, branch: string) => string;
  /** `sub` of a pull request's run. */
  readonly pullRequestSubject: (repository: string) => string;
  /** `sub` of a job that names the deployment environment `environment`. */
  readonly environmentSubject: (repository: string, environment: string) => string;
}

/**
 * GitHub Actions' tokens with the default subject template ("About security hardening with OpenID Connect",
 * docs.github.com): `repo:<owner>/<name>:ref:refs/heads/<branch>`, `…:pull_request`, `…:environment:<name>`.
 * A job that names an environment gets the environment subject, whatever its branch.
 */
export const CI_HOSTS: Readonly<Record<CiProvider, CiHost>> = {
  github: {
    issuer: 'https://token.actions.githubusercontent.com',
    audience: 'sts.amazonaws.com',
    branchSubject: (repository, branch) => `repo:${repository}:ref:refs/heads/${branch}`,
    pullRequestSubject: (repository) => `repo:${repository}:pull_request`,
    environmentSubject: (repository, environment) => `repo:${repository}:environment:${environment}`,
  },
};

/** The host part of an issuer URL: the prefix of its claims in conditions (`token.actions.githubusercontent.com`). */
export const issuerHost = (host: CiHost): string => host.issuer.replace(/^https:\/\//, '');

/** The trust policy of a role that `subjects` of `host` may assume through the identity provider `providerArn`. */
export function trustPolicy(host: CiHost, providerArn: string, subjects: readonly string[]): string {
  const claims = issuerHost(host);
  return policyDocument([
    {
      Sid: 'TheRepositorysWorkflows',
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${claims}:aud`]: host.audience, [`${claims}:sub`]: [...subjects] } },
    },
  ]);
}
