import type { Instance } from '@aws-sdk/client-ec2';

import { toEc2Instance } from '../../src/core/aws/instances';
import type { AwsTarget, Ec2Instance } from '../../src/core/aws/model';

/** An instance as DescribeInstances returns it (the SDK's shape), with overrides. */
export function sdkInstance(overrides: Partial<Instance> = {}): Instance {
  return {
    InstanceId: 'i-0123456789abcdef0',
    InstanceType: 't3.micro',
    State: { Code: 16, Name: 'running' },
    Placement: { AvailabilityZone: 'us-east-1a' },
    PublicIpAddress: '203.0.113.10',
    PrivateIpAddress: '10.0.1.10',
    PublicDnsName: 'ec2-203-0-113-10.compute-1.amazonaws.com',
    PlatformDetails: 'Linux/UNIX',
    ImageId: 'ami-0abcdef1234567890',
    LaunchTime: new Date('2024-11-21T10:00:00.000Z'),
    Tags: [{ Key: 'Name', Value: 'web-1' }],
    ...overrides,
  };
}

export function instance(overrides: Partial<Instance> = {}, target: AwsTarget = { region: 'us-east-1' }): Ec2Instance {
  return toEc2Instance(sdkInstance(overrides), target);
}
