import { COMPLIANT, defineRule, NOT_APPLICABLE, nonCompliant, scanners, verdict } from '../rule';

/** Shapes of credentials that must never be in user data (visible to anyone who can describe the instance). */
const SECRETS: readonly [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/(aws_secret_access_key|secret_?key|password|passwd|api_?key|token)\s*[=:]\s*['"]?[^\s'"$]{8,}/i, 'a literal password, key or token'],
];

const BASE64_OF_LOCAL = /^\$\{base64encode\(local\.([A-Za-z_][A-Za-z0-9_-]*)\)\}$/;

export const rule = defineRule({
  id: 'ec2-no-secrets-in-user-data',
  what: 'User data holds no credentials: no access keys, private keys or literal passwords.',
  why: 'User data is readable by anyone allowed to describe the instance and is kept in launch template versions forever.',
  scanners: scanners({ checkov: ['CKV_AWS_46'], trivy: ['AVD-AWS-0129'] }),
  resourceTypes: ['aws_launch_template', 'aws_instance'],
  check: (r, stack) => {
    const data = r.config.user_data;
    if (data === undefined) return NOT_APPLICABLE;
    let text: unknown;
    const local = typeof data === 'string' ? BASE64_OF_LOCAL.exec(data) : null;
    if (local) text = stack.locals[local[1]];
    else if (typeof data === 'string' && !data.includes('${')) text = Buffer.from(data, 'base64').toString('utf8');
    if (typeof text !== 'string') return nonCompliant('user data is computed at apply time and cannot be inspected');
    const found = SECRETS.find(([pattern]) => pattern.test(text as string));
    return found ? verdict(false, `user data contains ${found[1]}`) : COMPLIANT;
  },
});
