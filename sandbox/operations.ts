// The operations the sandbox answers, per service.
export const EC2_OPERATIONS = [
  'DescribeInstances', 'DescribeRegions', 'DescribeImages', 'StartInstances', 'StopInstances', 'RebootInstances',
  'GetConsoleOutput', 'GetSerialConsoleAccessStatus', 'EnableSerialConsoleAccess', 'DisableSerialConsoleAccess',
  'DescribeInstanceConnectEndpoints', 'CreateInstanceConnectEndpoint', 'DeleteInstanceConnectEndpoint',
  'CreateTags', 'DeleteTags',
] as const;

export const EIC_OPERATIONS = ['SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey'] as const;

export type Ec2Operation = (typeof EC2_OPERATIONS)[number];
export type EicOperation = (typeof EIC_OPERATIONS)[number];

export function isEc2Operation(name: string): name is Ec2Operation {
  return (EC2_OPERATIONS as readonly string[]).includes(name);
}

export function isEicOperation(name: string): name is EicOperation {
  return (EIC_OPERATIONS as readonly string[]).includes(name);
}
