import {
  type EC2Client,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  waitUntilInstanceRunning,
} from '@aws-sdk/client-ec2';

import { describeInstance } from './instances';
import type { AwsTarget, Ec2Instance } from './model';

export async function startInstance(client: EC2Client, instanceId: string, abortSignal?: AbortSignal): Promise<void> {
  await client.send(new StartInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal });
}

export async function stopInstance(client: EC2Client, instanceId: string, abortSignal?: AbortSignal): Promise<void> {
  await client.send(new StopInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal });
}

export async function rebootInstance(client: EC2Client, instanceId: string, abortSignal?: AbortSignal): Promise<void> {
  await client.send(new RebootInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal });
}

export interface WaitOptions {
  abortSignal?: AbortSignal;
  /** Give up after this many seconds (EC2 usually needs well under a minute to start an instance). */
  maxWaitSeconds?: number;
  /** Seconds between polls; the waiter's default backoff starts at 15 s. */
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
}

/** Waits with the EC2 waiter until the instance is running, then returns it as it is now. */
export async function waitUntilRunning(
  client: EC2Client,
  target: AwsTarget,
  instanceId: string,
  options: WaitOptions = {},
): Promise<Ec2Instance | undefined> {
  await waitUntilInstanceRunning(
    {
      client,
      maxWaitTime: options.maxWaitSeconds ?? 600,
      minDelay: options.minDelaySeconds ?? 5,
      maxDelay: options.maxDelaySeconds ?? 15,
      abortSignal: options.abortSignal,
    },
    { InstanceIds: [instanceId] },
  );
  return describeInstance(client, target, instanceId, options.abortSignal);
}
