import type { Construct } from 'constructs';
import { TerraformIterator, Token, type TerraformProvider } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';

export interface DnsValidatedCertificateProps {
  /** Name the certificate covers. */
  readonly domainName: string;
  /** Route 53 public hosted zone of `domainName`, where ACM's validation records go. */
  readonly zoneId: string;
  /** Provider of the certificate (CloudFront's come from us-east-1). @default - the stack's */
  readonly provider?: TerraformProvider;
}

/**
 * An ACM certificate validated by DNS, added to `scope` as `certificate`, `certificate_validation_record` (one
 * Route 53 record per name ACM asks to see, keyed by domain name) and `certificate_validation`. Returns the
 * validated certificate's ARN (use it, so that users of the certificate wait for the validation) and the
 * validation records.
 */
export function dnsValidatedCertificate(scope: Construct, props: DnsValidatedCertificateProps): { arn: string; records: Route53Record } {
  const cert = new AcmCertificate(scope, 'certificate', {
    domainName: props.domainName,
    validationMethod: 'DNS',
    keyAlgorithm: 'EC_prime256v1',
    lifecycle: { createBeforeDestroy: true },
    tags: { Name: props.domainName },
    provider: props.provider,
  });
  // One record per name ACM asks to see (`domain_validation_options`), keyed by domain name: the
  // provider knows the names at plan time, the record values once the certificate exists.
  const options = TerraformIterator.fromComplexList(cert.domainValidationOptions, 'domain_name');
  const records = new Route53Record(scope, 'certificate_validation_record', {
    forEach: options,
    zoneId: props.zoneId,
    name: options.getString('resource_record_name'),
    type: options.getString('resource_record_type'),
    records: [options.getString('resource_record_value')],
    ttl: 300,
    allowOverwrite: true,
  });
  const validation = new AcmCertificateValidation(scope, 'certificate_validation', {
    certificateArn: cert.arn,
    validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty('fqdn')),
    provider: props.provider,
  });
  return { arn: validation.certificateArn, records };
}
