import { Construct } from 'constructs';
import { SecurityGroup as AwsSecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

export interface SecurityGroupProps {
  /** VPC the group belongs to. */
  readonly vpcId: string;
  /** Group name, unique in the VPC, e.g. `web-prod-app`. */
  readonly name: string;
  /** What the group protects (shown in the console). */
  readonly description: string;
  /** Short name used in the ids of rules that reference this group (`alb`, `app`, `db`). */
  readonly label: string;
}

/** Anything that sits behind a security group and can be granted access by another. */
export interface Connectable {
  readonly securityGroup: SecurityGroup;
}

const ANYWHERE_IPV4 = '0.0.0.0/0';

/**
 * A security group that starts with no rules at all (the inline `ingress`/`egress` blocks are never
 * used, so AWS's default allow-all egress is removed) and is opened only through the methods below,
 * each of which writes one described `aws_vpc_security_group_*_rule`.
 */
export class SecurityGroup extends Construct {
  readonly group: AwsSecurityGroup;
  /** Short name used in the ids of rules that reference this group (`alb`, `app`, `db`). */
  readonly label: string;

  constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    this.label = props.label;
    this.group = new AwsSecurityGroup(this, 'default', {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: props.name },
    });
  }

  get id(): string {
    return this.group.id;
  }

  /**
   * Lets `peer` reach this group on `port`: an ingress rule here and the matching egress rule on the
   * peer, so neither side is wider than the traffic.
   */
  allowFrom(peer: SecurityGroup, port: number, description: string): void {
    new VpcSecurityGroupIngressRule(
      this,
      `ingress_from_${peer.label}`,
      tcp(this.id, port, description, { referencedSecurityGroupId: peer.id }),
    );
    new VpcSecurityGroupEgressRule(
      peer,
      `egress_to_${this.label}`,
      tcp(peer.id, port, description, { referencedSecurityGroupId: this.id }),
    );
  }

  /** Opens `port` to the whole IPv4 internet (only the public load balancer does this). */
  allowFromInternet(port: number, name: string, description: string): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, `ingress_internet_${name}`, tcp(this.id, port, description, { cidrIpv4: ANYWHERE_IPV4 }));
  }

  /** Opens `port` to the addresses of a managed prefix list (CloudFront's origin-facing servers, for one). */
  allowFromPrefixList(port: number, name: string, prefixListId: string, description: string): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, `ingress_${name}`, tcp(this.id, port, description, { prefixListId }));
  }

  /** Lets this group open connections to `port` anywhere on the IPv4 internet. */
  allowToInternet(port: number, name: string, description: string): VpcSecurityGroupEgressRule {
    return new VpcSecurityGroupEgressRule(this, `egress_internet_${name}`, tcp(this.id, port, description, { cidrIpv4: ANYWHERE_IPV4 }));
  }
}

/** One TCP port of a per-rule security group resource, towards a group or a CIDR. */
function tcp(
  securityGroupId: string,
  port: number,
  description: string,
  peer: { readonly referencedSecurityGroupId: string } | { readonly cidrIpv4: string } | { readonly prefixListId: string },
) {
  return { securityGroupId, ...peer, ipProtocol: 'tcp', fromPort: port, toPort: port, description };
}
