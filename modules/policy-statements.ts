/** Policy statements several constructs share. */

/** Denies `action` on `resources` to every principal when the request does not use TLS. */
export function denyInsecureTransport(action: string, resources: string | readonly string[]): Record<string, unknown> {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: action,
    Resource: resources,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
