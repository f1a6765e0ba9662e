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
