import { COMPLIANT, defineRule, NOT_APPLICABLE, nonCompliant, scanners } from '../rule';
import { credentialInUserData } from '../user-data';

/** User data the way AppServers writes it: a local's text, encoded by Terraform (`base64encode`, `base64gzip`). */
const FROM_LOCAL = /^\$\{(?:(?:base64encode|base64gzip)\(local\.([A-Za-z_][A-Za-z0-9_-]*)\)|local\.([A-Za-z_][A-Za-z0-9_-]*))\}$/;

export const rule = defineRule({
  id: 'ec2-no-secrets-in-user-data',
  what: 'User data holds no credentials (access keys, private keys, literal passwords or tokens) in any layer: base64 files, gzip, MIME parts, JSON values.',
  why: 'User data is readable by anyone allowed to describe the instance and is kept in launch template versions forever; base64 or gzip hides nothing from them.',
  scanners: scanners({ checkov: ['CKV_AWS_46'], trivy: ['AVD-AWS-0129'] }),
  resourceTypes: ['aws_launch_template', 'aws_instance'],
  check: (r, stack) => {
    const data: unknown = r.config.user_data ?? r.config.user_data_base64;
    if (data === undefined) return NOT_APPLICABLE;
    const local = typeof data === 'string' ? FROM_LOCAL.exec(data) : null;
    const text = local ? stack.locals[local[1] ?? local[2]] : typeof data === 'string' && !data.includes('${') ? data : undefined;
    if (typeof text !== 'string') return nonCompliant('user data is computed at apply time and cannot be inspected');
    const found = credentialInUserData(text, { terraform: local !== null, locals: stack.locals });
    return found ? nonCompliant(`user data contains ${found}`) : COMPLIANT;
  },
});
