/**
 * What AWS checks on the caller beyond the API call Terraform makes — each from the AWS document that says
 * so, granted only where the stack holds the resource type that makes AWS check it:
 *
 * - iam:PassRole, for every role the stack hands to a service ("Granting a user permissions to pass a role
 *   to an AWS service", IAM user guide): only the environment's roles, only to the services they trust.
 * - iam:CreateServiceLinkedRole, the first time the account uses Auto Scaling, Elastic Load Balancing, RDS or
 *   CloudFront VPC origins ("Service-linked role permissions" of each service): only those roles.
 * - ec2:RunInstances (and the tags of what it creates), which Auto Scaling checks on whoever creates or
 *   updates a group with a launch template ("Control Amazon EC2 launch template usage in Auto Scaling
 *   groups", EC2 Auto Scaling user guide): only from the environment's launch templates, into its subnets
 *   and security groups.
 * - KMS calls RDS, ECR and Secrets Manager make with the caller's credentials when they encrypt with the
 *   environment's key ("How Amazon RDS uses AWS KMS", "Encryption at rest" of ECR, "Secret encryption and
 *   decryption in AWS Secrets Manager"): only through those services (`kms:ViaService`).
 * - The secret RDS creates for a database's managed master password, as the caller ("Password management
 *   with Amazon RDS and AWS Secrets Manager", RDS user guide): only one tagged with the environment's database.
 */
import type { PolicyStatement } from '../policy-statements';
import * as rule from '../../naming/rules';
import type { StackInventory } from './inventory';
import { RDS_SECRET_TAG, type EnvironmentScope } from './scopes';
import { scopedStatements } from './statements';

/** The service-linked role each resource type makes AWS create on first use, by its service principal. */
export const SERVICE_LINKED_ROLES: Readonly<Record<string, string>> = {
  aws_autoscaling_group: 'autoscaling.amazonaws.com',
  aws_lb: 'elasticloadbalancing.amazonaws.com',
  aws_db_instance: 'rds.amazonaws.com',
  aws_rds_cluster: 'rds.amazonaws.com',
  aws_cloudfront_vpc_origin: 'vpcorigin.cloudfront.amazonaws.com',
};

/** The services that use the environment's key with the caller's credentials, by the resource type that makes them. */
const KMS_THROUGH: Readonly<Record<string, readonly string[]>> = {
  // A database's managed master password is a secret RDS makes with the caller's credentials, in Secrets Manager.
  aws_db_instance: ['rds', 'secretsmanager'],
  aws_rds_cluster: ['rds', 'secretsmanager'],
  aws_ecr_repository: ['ecr'],
  aws_secretsmanager_secret: ['secretsmanager'],
};

const has = (inventory: StackInventory, ...types: string[]) => types.some((t) => inventory.resources.has(t));

/** The statements of the checks above that the stack makes AWS perform, for its deploy role. */
export function impliedStatements(env: EnvironmentScope, inventory: StackInventory): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const { accountId, region } = env;

  const roles = env.names.filter((n) => n.rule === rule.IAM_ROLE).map((n) => `arn:aws:iam::${n.accountId}:role/${n.value}`);
  if (roles.length > 0 && inventory.passedToServices.length > 0) {
    statements.push({
      Sid: 'PassOwnRolesToTheServicesTheyTrust',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: roles,
      Condition: { StringEquals: { 'iam:PassedToService': [...inventory.passedToServices] } },
    });
  }

  const linked = [
    ...new Set(
      Object.entries(SERVICE_LINKED_ROLES)
        .filter(([type]) => has(inventory, type))
        .flatMap(([, s]) => s),
    ),
  ].sort();
  if (linked.length > 0) {
    statements.push({
      Sid: 'CreateTheServiceLinkedRolesOnFirstUse',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: linked.map((s) => `arn:aws:iam::${accountId}:role/aws-service-role/${s}/*`),
      Condition: { StringEquals: { 'iam:AWSServiceName': linked } },
    });
  }

  if (has(inventory, 'aws_autoscaling_group')) {
    const ec2 = (type: string) => `arn:aws:ec2:${region}:${accountId}:${type}/*`;
    const fromOwnTemplate = { ArnLike: { 'ec2:LaunchTemplate': `arn:aws:ec2:${region}:${accountId}:launch-template/*` } };
    statements.push(
      // What an instance launched from the environment's template creates, and its tags.
      {
        Sid: 'LaunchFromTemplates',
        Effect: 'Allow',
        Action: 'ec2:RunInstances',
        Resource: [ec2('instance'), ec2('volume'), ec2('network-interface')],
        Condition: fromOwnTemplate,
      },
      {
        Sid: 'TagWhatALaunchCreates',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: [ec2('instance'), ec2('volume'), ec2('network-interface')],
        Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
      },
      // ... only from the environment's templates, into its subnets and security groups, from its images.
      ...scopedStatements(['ec2:RunInstances'], env, { sid: 'LaunchInto' }).filter(
        (s) => !/Instance|Volume|NetworkInterface/.test(s.Sid ?? ''),
      ),
    );
  }

  const through = [
    ...new Set(
      Object.entries(KMS_THROUGH)
        .filter(([type]) => has(inventory, type))
        .flatMap(([, s]) => s),
    ),
  ].sort();
  if (through.length > 0) {
    statements.push(
      ...scopedStatements(['kms:CreateGrant', 'kms:DescribeKey', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:RetireGrant'], env, {
        sid: 'UseOwnKeyThrough',
        condition: { StringEquals: { 'kms:ViaService': through.map((s) => `${s}.${region}.amazonaws.com`) } },
      }),
    );
  }

  if (has(inventory, 'aws_db_instance')) {
    // RDS makes the secret on the caller's behalf (a forward access session: aws:ViaAWSService); the tag it
    // names the database with, where the request carries it, must be the environment's database.
    statements.push({
      Sid: 'LetRdsCreateTheMasterPasswordSecret',
      Effect: 'Allow',
      Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
      Resource: `arn:aws:secretsmanager:${region}:${accountId}:secret:rds!*`,
      Condition: {
        Bool: { 'aws:ViaAWSService': 'true' },
        StringEqualsIfExists: { [`aws:RequestTag/${RDS_SECRET_TAG}`]: `arn:aws:rds:${region}:${accountId}:db:${env.databaseName}` },
      },
    });
    statements.push(
      ...scopedStatements(['secretsmanager:DescribeSecret', 'secretsmanager:RotateSecret', 'secretsmanager:DeleteSecret'], env, {
        sid: 'LetRdsKeepTheMasterPassword',
      }).filter((s) => JSON.stringify(s.Resource).includes('rds!')),
    );
  }
  return statements;
}
