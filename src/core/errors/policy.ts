import type { FailureContext } from './types';

/** The IAM action behind each operation the product calls. */
const permissions: Record<string, string> = {
  SendSSHPublicKey: 'ec2-instance-connect:SendSSHPublicKey',
  SendSerialConsoleSSHPublicKey: 'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
  DescribeInstances: 'ec2:DescribeInstances',
  DescribeRegions: 'ec2:DescribeRegions',
  DescribeImages: 'ec2:DescribeImages',
  StartInstances: 'ec2:StartInstances',
  StopInstances: 'ec2:StopInstances',
  RebootInstances: 'ec2:RebootInstances',
  GetConsoleOutput: 'ec2:GetConsoleOutput',
  GetSerialConsoleAccessStatus: 'ec2:GetSerialConsoleAccessStatus',
  EnableSerialConsoleAccess: 'ec2:EnableSerialConsoleAccess',
  OpenTunnel: 'ec2-instance-connect:OpenTunnel',
  DescribeInstanceConnectEndpoints: 'ec2:DescribeInstanceConnectEndpoints',
  CreateInstanceConnectEndpoint: 'ec2:CreateInstanceConnectEndpoint',
  connect: 'ec2-instance-connect:SendSSHPublicKey',
  serialConsole: 'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
  remoteSSH: 'ec2-instance-connect:SendSSHPublicKey',
};

/** Actions that can be scoped to one instance's ARN. */
const instanceScoped = new Set([
  'ec2-instance-connect:SendSSHPublicKey',
  'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
  'ec2:StartInstances',
  'ec2:StopInstances',
  'ec2:RebootInstances',
  'ec2:GetConsoleOutput',
]);

/**
 * The IAM action that was denied: the one AWS names in its message ("… is not authorized to perform:
 * ec2-instance-connect:SendSSHPublicKey on resource …") when it does, else the operation's.
 */
export function requiredPermission(operation: string, serviceMessage = ''): string {
  return deniedAction(serviceMessage) ?? permissions[operation] ?? `the ${operation} operation`;
}

function deniedAction(serviceMessage: string): string | undefined {
  return /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(serviceMessage)?.[1];
}

/**
 * The smallest policy that lets this operation go through, for "Show Required Policy": the denied action
 * scoped to the instance (and OS user) where IAM allows it, plus the read-only calls the same feature makes,
 * which cannot be scoped.
 */
export function requiredPolicy(ctx: FailureContext, serviceMessage = ''): object {
  const action = deniedAction(serviceMessage) ?? permissions[ctx.operation] ?? `ec2:${ctx.operation}`;
  if (action === 'ec2-instance-connect:OpenTunnel') return openTunnelPolicy({ region: ctx.region, remotePort: ctx.port });
  if (action === 'ec2:CreateInstanceConnectEndpoint') return createEndpointPolicy();
  const instanceArn = `arn:aws:ec2:${ctx.region ?? '*'}:*:instance/${ctx.instanceId ?? '*'}`;
  const statement: Record<string, unknown> = { Sid: action.split(':')[1], Effect: 'Allow', Action: action, Resource: instanceScoped.has(action) ? instanceArn : '*' };
  if (action === 'ec2-instance-connect:SendSSHPublicKey' && ctx.osUser) {
    statement.Condition = { StringEquals: { 'ec2:osuser': ctx.osUser } };
  }
  const statements: object[] = [statement];
  if (action.startsWith('ec2-instance-connect:')) {
    const reads = ['ec2:DescribeInstances', 'ec2:DescribeImages'];
    if (action.endsWith(':SendSerialConsoleSSHPublicKey')) reads.push('ec2:GetSerialConsoleAccessStatus');
    statements.push({ Sid: 'FindInstances', Effect: 'Allow', Action: reads, Resource: '*' });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** What an OpenTunnel policy is scoped to; whatever is unknown is left open (`*`, no condition). */
export interface OpenTunnelScope {
  region?: string;
  /** The account that owns the endpoint, when known (from its ARN). */
  account?: string;
  endpointId?: string;
  remotePort?: number;
  privateIp?: string;
}

/**
 * The policy that lets a tunnel open through an EC2 Instance Connect Endpoint: OpenTunnel on that endpoint,
 * for that port and address only, plus the look-ups that find the endpoint (they cannot be scoped).
 */
export function openTunnelPolicy(scope: OpenTunnelScope): object {
  const condition: Record<string, Record<string, unknown>> = {};
  if (scope.remotePort !== undefined) condition.NumericEquals = { 'ec2-instance-connect:remotePort': scope.remotePort };
  if (scope.privateIp) condition.IpAddress = { 'ec2-instance-connect:privateIpAddress': scope.privateIp };
  const openTunnel: Record<string, unknown> = {
    Sid: 'OpenTunnel',
    Effect: 'Allow',
    Action: 'ec2-instance-connect:OpenTunnel',
    Resource: `arn:aws:ec2:${scope.region ?? '*'}:${scope.account ?? '*'}:instance-connect-endpoint/${scope.endpointId ?? '*'}`,
  };
  if (Object.keys(condition).length) openTunnel.Condition = condition;
  return {
    Version: '2012-10-17',
    Statement: [openTunnel, { Sid: 'FindEndpoints', Effect: 'Allow', Action: ['ec2:DescribeInstanceConnectEndpoints', 'ec2:DescribeInstances'], Resource: '*' }],
  };
}

/**
 * What creating an endpoint takes (EC2 user guide, "Grant permissions to use EC2 Instance Connect Endpoint"):
 * the endpoint's network interface and tags, and the service-linked role the first endpoint of an account creates.
 */
export function createEndpointPolicy(): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CreateInstanceConnectEndpoint',
        Effect: 'Allow',
        Action: ['ec2:CreateInstanceConnectEndpoint', 'ec2:CreateNetworkInterface', 'ec2:CreateTags', 'iam:CreateServiceLinkedRole'],
        Resource: '*',
      },
      { Sid: 'FindEndpoints', Effect: 'Allow', Action: ['ec2:DescribeInstanceConnectEndpoints', 'ec2:DescribeSubnets'], Resource: '*' },
    ],
  };
}
