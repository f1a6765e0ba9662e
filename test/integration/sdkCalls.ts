// Every AWS call the product makes, run by test/integration/sdkBundle.test.ts twice: from this file as it is (the
// SDK's CommonJS builds, through tsx), and bundled as dist/core.js is (its ES module builds, tree-shaken with the
// schemas' literal keys: scripts/esbuild-options.mjs). Both readings of each answer, and of each error, must agree.
import {
  DescribeImagesCommand,
  DescribeInstanceConnectEndpointsCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  EC2Client,
  GetSerialConsoleAccessStatusCommand,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { EC2InstanceConnectClient, SendSerialConsoleSSHPublicKeyCommand, SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';

export interface CallTargets {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  running: { instanceId: string; availabilityZone: string; osUser: string; imageId?: string };
  /** A running instance without a serial console (a Xen type). */
  xen: string;
  publicKey: string;
}

/** What a call gave, with what varies between two calls (request ids, dates of the call) left out. */
type Outcome = { ok: unknown } | { error: { name: string; message: string; fault?: string; status?: number } };

function stable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === '$metadata' || key === 'RequestId' || key === 'requestId' ? undefined : v)));
}

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: stable(await call()) };
  } catch (err) {
    const e = err as { name: string; message: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
    return { error: { name: e.name, message: e.message, fault: e.$fault, status: e.$metadata?.httpStatusCode } };
  }
}

export async function everyCall(t: CallTargets): Promise<Record<string, Outcome>> {
  const config = { region: t.region, endpoint: t.endpoint, credentials: t.credentials, maxAttempts: 1 };
  const ec2 = new EC2Client(config);
  const eic = new EC2InstanceConnectClient(config);
  const { instanceId, availabilityZone, osUser } = t.running;
  try {
    return {
      describeInstances: await outcome(() => ec2.send(new DescribeInstancesCommand({}))),
      describeOne: await outcome(() => ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))),
      describeMissing: await outcome(() => ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0000000000000dead'] }))),
      describeFiltered: await outcome(() => ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }], MaxResults: 5 }))),
      describeImages: await outcome(() => ec2.send(new DescribeImagesCommand({ ImageIds: t.running.imageId ? [t.running.imageId] : [] }))),
      describeRegions: await outcome(() => ec2.send(new DescribeRegionsCommand({ AllRegions: true }))),
      describeEndpoints: await outcome(() => ec2.send(new DescribeInstanceConnectEndpointsCommand({}))),
      serialConsoleAccess: await outcome(() => ec2.send(new GetSerialConsoleAccessStatusCommand({}))),
      // Idempotent on a running instance: the answer says so, and nothing changes for the second run.
      startRunning: await outcome(() => ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }))),
      stopMissing: await outcome(() => ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0000000000000dead'] }))),
      rebootMissing: await outcome(() => ec2.send(new RebootInstancesCommand({ InstanceIds: ['i-0000000000000dead'] }))),
      push: await outcome(() => eic.send(new SendSSHPublicKeyCommand({ InstanceId: instanceId, InstanceOSUser: osUser, SSHPublicKey: t.publicKey, AvailabilityZone: availabilityZone }))),
      pushWrongZone: await outcome(() => eic.send(new SendSSHPublicKeyCommand({ InstanceId: instanceId, InstanceOSUser: osUser, SSHPublicKey: t.publicKey, AvailabilityZone: 'xx-nowhere-1z' }))),
      pushMissing: await outcome(() => eic.send(new SendSSHPublicKeyCommand({ InstanceId: 'i-0000000000000dead', InstanceOSUser: osUser, SSHPublicKey: t.publicKey }))),
      pushSerialXen: await outcome(() => eic.send(new SendSerialConsoleSSHPublicKeyCommand({ InstanceId: t.xen, SSHPublicKey: t.publicKey }))),
    };
  } finally {
    ec2.destroy();
    eic.destroy();
  }
}
