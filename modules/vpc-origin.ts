import { Construct } from 'constructs';
import { CloudfrontVpcOrigin } from '@cdktf/provider-aws/lib/cloudfront-vpc-origin';
import { names } from '../naming';

export interface VpcOriginProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  /** ARN of the internal application load balancer CloudFront reaches. */
  readonly loadBalancerArn: string;
}

/**
 * The one way into the internal load balancer: a CloudFront VPC origin (one per environment, shared by every
 * distribution of its front-ends). CloudFront reaches the load balancer through network interfaces it manages in
 * the load balancer's private subnets, over HTTPS with TLS 1.2 only, so the load balancer needs no public address,
 * no internet-facing listener and no shared secret: "you don't have to implement access control lists (ACLs),
 * secret shared headers, or other mechanisms to restrict access to your origins", and the VPC "must be in the same
 * AWS account as your CloudFront distribution" (CloudFront Developer Guide, "Restrict access with VPC origins").
 *
 * HTTPS: CloudFront checks the origin's certificate against the origin's domain name ("One of the domain names in
 * the certificate must match the domain name that you specify for Origin Domain Name ... If no domain name
 * matches, CloudFront returns HTTP status code 502": "Requirements for using SSL/TLS certificates with
 * CloudFront"). The distributions name `https.domainName` as the origin's domain, which the load balancer's ACM
 * certificate covers; the VPC origin itself says where to connect (the load balancer's ARN).
 *
 * Lifecycle: changing a VPC origin that distributions use fails with `409 CannotUpdateEntityWhileInUse` — even a
 * tag (hashicorp/terraform-provider-aws #40905, aws/aws-cdk #34629); AWS's procedure is to detach it from every
 * distribution, change it, and attach it again. So nothing here is meant to change after the first apply: the
 * settings are constants, its only tags are the stack's default tags (Terraform cannot ignore those: `tags_all`
 * is the provider's), and the load balancer it targets keeps its ARN unless it is replaced. README, "Upgrade
 * notes", gives the procedure for the rare change (a new load balancer, new tags). `create_before_destroy` would
 * not help: Terraform extends it to what the VPC origin depends on, and the load balancer cannot be created twice
 * under its one name; `replace_triggered_by` neither: the old VPC origin cannot be deleted while attached.
 */
export class VpcOrigin extends Construct {
  readonly origin: CloudfrontVpcOrigin;

  constructor(scope: Construct, id: string, props: VpcOriginProps) {
    super(scope, id);
    this.origin = new CloudfrontVpcOrigin(this, 'default', {
      vpcOriginEndpointConfig: [
        {
          name: names.vpcOrigin(props.prefix),
          arn: props.loadBalancerArn,
          httpPort: 80,
          httpsPort: 443,
          // HTTPS to the origin, TLS 1.2 (the newest the API offers for origins: SSLv3, TLSv1, TLSv1.1, TLSv1.2).
          originProtocolPolicy: 'https-only',
          originSslProtocols: [{ items: ['TLSv1.2'], quantity: 1 }],
        },
      ],
      // Deploying takes up to 15 minutes (the provider's default timeouts, and AWS's own figure).
    });
  }

  get id(): string {
    return this.origin.id;
  }
}
