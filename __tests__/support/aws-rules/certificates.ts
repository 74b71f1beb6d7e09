/**
 * The ACM certificate behind an ARN a distribution or a listener names (through its validation, as the stacks
 * write it), its region, and the names it covers.
 */
import type { StackJson } from '../synth';
import { regionOf, target, type Resource } from './terraform-json';

/** What an ARN value points to: the certificate resource when the stack makes it, and the region it lives in. */
export interface CertificateBehind {
  readonly certificate?: Resource;
  readonly validation?: Resource;
  /** The region of the certificate (and of its validation, which must look for it there). */
  readonly region?: string;
  /** A literal ARN of a certificate the stack does not make. */
  readonly arn?: string;
}

/** The certificate an ARN value names: a validation's `certificate_arn`, a certificate's `arn`, or a literal ARN. */
export function certificateBehind(stack: StackJson, value: unknown): CertificateBehind {
  const validation = target(stack, value, 'aws_acm_certificate_validation');
  const certificate = validation
    ? target(stack, validation.body.certificate_arn, 'aws_acm_certificate')
    : target(stack, value, 'aws_acm_certificate');
  if (certificate) return { certificate, validation, region: regionOf(stack, certificate.body) };
  const literal = typeof value === 'string' ? /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\//.exec(value) : null;
  return literal ? { arn: String(value), region: literal[1] } : {};
}

/** The names a certificate resource covers: its domain name and subject alternative names. */
export function namesOf(certificate: Resource): string[] {
  return [certificate.body.domain_name, ...(certificate.body.subject_alternative_names ?? [])].map(String);
}

/** True when the certificate name `pattern` (`www.example.com`, `*.example.com`: one label) covers `host`. */
export function covers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}
