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

export function requiredPermission(operation: string): string {
  return permissions[operation] ?? `the ${operation} operation`;
}

/**
 * The smallest policy that lets this operation go through, for "Show Required Policy".
 * Key pushes are scoped to the instance (and OS user); describe calls cannot be scoped.
 */
export function requiredPolicy(operation: string, ctx: FailureContext): object {
  const action = permissions[operation] ?? `ec2:${operation}`;
  const instanceArn = `arn:aws:ec2:${ctx.region ?? '*'}:*:instance/${ctx.instanceId ?? '*'}`;
  const statements: object[] = [];
  if (action.startsWith('ec2-instance-connect:')) {
    const statement: Record<string, unknown> = { Sid: 'PushKeys', Effect: 'Allow', Action: action, Resource: instanceArn };
    if (action.endsWith(':SendSSHPublicKey') && ctx.osUser) {
      statement.Condition = { StringEquals: { 'ec2:osuser': ctx.osUser } };
    }
    statements.push(statement);
    statements.push({ Sid: 'FindInstances', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeImages'], Resource: '*' });
  } else if (['ec2:StartInstances', 'ec2:StopInstances', 'ec2:RebootInstances', 'ec2:GetConsoleOutput'].includes(action)) {
    statements.push({ Effect: 'Allow', Action: action, Resource: instanceArn });
  } else {
    statements.push({ Effect: 'Allow', Action: action, Resource: '*' });
  }
  return { Version: '2012-10-17', Statement: statements };
}
