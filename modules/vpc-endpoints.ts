import { Construct } from 'constructs';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { names } from '../naming';
import { policyDocument } from './policy-statements';
import { SecurityGroup, type Connectable } from './security-group';

export interface VpcEndpointsProps {
  /** Name prefix, e.g. `web-prod`. */
  readonly prefix: string;
  readonly vpcId: string;
  readonly region: string;
  readonly accountId: string;
  /** Route tables of the subnets that reach S3 through the gateway endpoint (the app tier). */
  readonly routeTableIds: readonly string[];
  /** Subnets of the interface endpoints' network interfaces, one per zone (the app tier). */
  readonly subnetIds: readonly string[];
  /** Add the interface endpoints (paid per zone and hour) besides the S3 gateway endpoint (free). */
  readonly interfaceEndpoints: boolean;
}

/**
 * Interface endpoints the app servers need without the internet: pulling images (ECR API and registry),
 * logs and metrics (CloudWatch Logs and monitoring), secrets (Secrets Manager, SSM Parameter Store) and
 * Session Manager (ssm, ssmmessages, ec2messages).
 */
export const INTERFACE_SERVICES = [
  'ecr.api',
  'ecr.dkr',
  'logs',
  'monitoring',
  'secretsmanager',
  'ssm',
  'ssmmessages',
  'ec2messages',
] as const;

/**
 * VPC endpoints of the app tier. The S3 gateway endpoint (free) carries the app servers' S3 traffic — the
 * account's own buckets, and the AWS buckets the platform needs: the Amazon Linux 2023 repositories, ECR's
 * image layers and the Systems Manager agent — so packages and images come without a NAT gateway. Its
 * policy allows nothing else, which also keeps data from leaving to other accounts' buckets. The interface
 * endpoints (optional) serve the AWS APIs, to principals of this account only, with private DNS, reachable
 * on 443 from the groups given to `allowFrom`.
 */
export class VpcEndpoints extends Construct {
  readonly s3: VpcEndpoint;
  readonly interfaces: readonly VpcEndpoint[];
  /** The group of the interface endpoints' network interfaces (with interface endpoints only). */
  readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const { region, accountId } = props;
    this.s3 = new VpcEndpoint(this, 's3', {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [...props.routeTableIds],
      policy: policyDocument([
        {
          Sid: 'BucketsOfThisAccount',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceAccount': accountId } },
        },
        {
          Sid: 'AwsBucketsThePlatformReads',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: [
            `arn:aws:s3:::al2023-repos-${region}-de612dc2/*`,
            `arn:aws:s3:::prod-${region}-starport-layer-bucket/*`,
            `arn:aws:s3:::amazon-ssm-${region}/*`,
            `arn:aws:s3:::aws-ssm-${region}/*`,
          ],
        },
      ]),
      tags: { Name: names.nameTag(props.prefix, 's3-endpoint') },
    });

    if (!props.interfaceEndpoints) {
      this.interfaces = [];
      return;
    }
    const group = new SecurityGroup(this, 'security_group', {
      label: 'endpoints',
      vpcId: props.vpcId,
      name: names.endpointsSecurityGroup(props.prefix),
      description: `${props.prefix} interface VPC endpoints: HTTPS from the app servers only`,
    });
    this.securityGroup = group;
    this.interfaces = INTERFACE_SERVICES.map(
      (service) =>
        new VpcEndpoint(this, service.replace('.', '_'), {
          vpcId: props.vpcId,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: 'Interface',
          subnetIds: [...props.subnetIds],
          securityGroupIds: [group.id],
          privateDnsEnabled: true,
          policy: policyDocument([
            {
              Sid: 'PrincipalsOfThisAccount',
              Effect: 'Allow',
              Principal: '*',
              Action: '*',
              Resource: '*',
              Condition: { StringEquals: { 'aws:PrincipalAccount': accountId } },
            },
          ]),
          tags: { Name: names.nameTag(props.prefix, 'endpoints') },
        }),
    );
  }

  /** Lets `peer` reach the interface endpoints on 443 (nothing to open without them). */
  allowFrom(peer: Connectable): void {
    this.securityGroup?.allowFrom(peer.securityGroup, 443, `${peer.securityGroup.label} to the AWS APIs through the interface endpoints`);
  }
}
