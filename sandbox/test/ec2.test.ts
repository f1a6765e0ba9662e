// EC2 as the SDK sees it: DescribeInstances and friends, state changes that take sshd up and down,
// console output with the real host key fingerprints, errors and faults.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as ec2 from '@aws-sdk/client-ec2';
import {
  DescribeImagesCommand, DescribeInstancesCommand, DescribeRegionsCommand, DisableSerialConsoleAccessCommand,
  EnableSerialConsoleAccessCommand, GetConsoleOutputCommand, GetSerialConsoleAccessStatusCommand, type Instance,
  RebootInstancesCommand, StartInstancesCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';
import { Client } from 'ssh2';

import { type Sandbox, type SandboxInstance, startSandbox } from '../index';
import { acceptsConnections } from '../loopback';
import { ec2Client, eicClient, instanceNamed, newKey, sleep, sshConnect, sshRun } from './helpers';

let sandbox: Sandbox;
let client: ec2.EC2Client;

before(async () => {
  sandbox = await startSandbox({ transitionSeconds: 0.3 });
  client = ec2Client(sandbox);
});

after(async () => {
  await sandbox?.stop();
});

async function describe(input: ec2.DescribeInstancesCommandInput = {}, region?: string): Promise<Instance[]> {
  const result = await (region ? ec2Client(sandbox, region) : client).send(new DescribeInstancesCommand(input));
  return (result.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
}

async function describeOne(instance: SandboxInstance): Promise<Instance> {
  const [found] = await describe({ InstanceIds: [instance.instanceId] }, instance.region);
  return found;
}

function nameTag(instance: Instance): string | undefined {
  return instance.Tags?.find((tag) => tag.Key === 'Name')?.Value;
}

async function ec2Error(call: Promise<unknown>): Promise<ec2.EC2ServiceException> {
  const error = await call.then(() => assert.fail('expected an EC2 error'), (caught: unknown) => caught);
  assert.ok(error instanceof ec2.EC2ServiceException, `expected an EC2ServiceException, got ${String(error)}`);
  assert.match(error.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  return error;
}

async function waitForState(instance: SandboxInstance, state: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await describeOne(instance)).State?.Name !== state) {
    if (Date.now() > deadline) assert.fail(`${instance.name} never became ${state}`);
    await sleep(50);
  }
}

async function pushAndWhoami(instance: SandboxInstance): Promise<string> {
  const key = newKey();
  await eicClient(sandbox, instance.region).send(new SendSSHPublicKeyCommand({
    InstanceId: instance.instanceId, InstanceOSUser: instance.osUser, SSHPublicKey: key.publicKey,
  }));
  return (await sshRun({ host: instance.host, port: instance.port, username: instance.osUser, privateKey: key.privateKey }, 'whoami')).trim();
}

test('DescribeInstances lists each region\'s instances with what the extension shows', async () => {
  const east = await describe();
  const eastNames = sandbox.manifest.instances.filter((instance) => instance.region === 'us-east-1').map((instance) => instance.name);
  assert.deepEqual(east.map(nameTag).sort(), [...eastNames].sort());
  assert.deepEqual((await describe({}, 'eu-west-1')).map(nameTag).sort(), ['eu-web-1', 'fedora-dev', 'sap-test', 'wordpress-blog']);

  const manifestWeb = instanceNamed(sandbox, 'web-prod-1');
  const web = await describeOne(manifestWeb);
  assert.match(web.InstanceId ?? '', /^i-[0-9a-f]{17}$/);
  assert.equal(web.State?.Name, 'running');
  assert.equal(web.State?.Code, 16);
  assert.equal(web.InstanceType, 't3.small');
  assert.equal(web.Placement?.AvailabilityZone, 'us-east-1a');
  assert.equal(web.PublicIpAddress, manifestWeb.host);
  assert.equal(web.PrivateIpAddress, manifestWeb.privateIp);
  assert.match(web.PrivateIpAddress ?? '', /^127\.1\d\d\.\d+\.\d+$/);
  assert.match(web.Ipv6Address ?? '', /^2600:/);
  assert.equal(web.PlatformDetails, 'Linux/UNIX');
  assert.ok(web.LaunchTime instanceof Date && web.LaunchTime.getTime() < Date.now());
  assert.deepEqual(web.Tags?.find((tag) => tag.Key === 'Environment'), { Key: 'Environment', Value: 'production' });

  const db = await describeOne(instanceNamed(sandbox, 'db-internal'));
  assert.equal(db.PublicIpAddress, undefined);
  assert.equal(db.PrivateIpAddress, instanceNamed(sandbox, 'db-internal').privateIp);
  assert.notEqual(db.PrivateIpAddress, instanceNamed(sandbox, 'db-internal').host, 'its sshd listens on a hidden address');

  const windows = await describeOne(instanceNamed(sandbox, 'build-windows'));
  // EC2 sends lower-case `windows`, though the SDK's type names the value `Windows`.
  assert.equal(windows.Platform, 'windows');
  assert.equal(windows.PlatformDetails, 'Windows');

  const stopped = await describeOne(instanceNamed(sandbox, 'sap-test'));
  assert.equal(stopped.State?.Name, 'stopped');
  assert.equal(stopped.PublicIpAddress, undefined);
  assert.match(stopped.StateTransitionReason ?? '', /^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
});

test('filters: state, tags, tag keys, ids, wildcards; an unknown filter is refused', async () => {
  const names = async (filters: ec2.Filter[]) => (await describe({ Filters: filters })).map(nameTag).sort();
  assert.deepEqual(await names([{ Name: 'instance-state-name', Values: ['stopped'] }]), ['batch-worker']);
  assert.deepEqual(await names([{ Name: 'instance-state-name', Values: ['stopped', 'terminated'] }]), ['batch-worker', 'old-bastion']);
  assert.deepEqual(await names([{ Name: 'tag:Team', Values: ['data'] }]), ['batch-worker', 'db-internal']);
  assert.deepEqual(await names([{ Name: 'tag:Team', Values: ['data'] }, { Name: 'instance-state-name', Values: ['running'] }]), ['db-internal']);
  assert.deepEqual(await names([{ Name: 'tag-key', Values: ['Backup'] }]), ['db-internal']);
  assert.deepEqual(await names([{ Name: 'tag:Name', Values: ['web-*', 'api-stag?ng'] }]), ['api-staging', 'web-prod-1']);
  const web = instanceNamed(sandbox, 'web-prod-1');
  assert.deepEqual(await names([{ Name: 'instance-id', Values: [web.instanceId] }]), ['web-prod-1']);
  const error = await ec2Error(describe({ Filters: [{ Name: 'colour', Values: ['blue'] }] }));
  assert.equal(error.name, 'InvalidParameterValue');
});

test('InstanceIds: unknown and malformed ids, and MaxResults rules, fail as EC2 fails', async () => {
  const notFound = await ec2Error(describe({ InstanceIds: ['i-0123456789abcdef0'] }));
  assert.equal(notFound.name, 'InvalidInstanceID.NotFound');
  assert.equal(notFound.$metadata.httpStatusCode, 400);
  assert.match(notFound.message, /The instance ID 'i-0123456789abcdef0' does not exist/);
  assert.equal((await ec2Error(describe({ InstanceIds: ['web-prod-1'] }))).name, 'InvalidInstanceID.Malformed');
  const web = instanceNamed(sandbox, 'web-prod-1');
  assert.equal((await ec2Error(describe({ InstanceIds: [web.instanceId], MaxResults: 5 }))).name, 'InvalidParameterCombination');
  assert.equal((await ec2Error(describe({ MaxResults: 4 }))).name, 'InvalidParameterValue');
  assert.equal((await ec2Error(describe({ MaxResults: 1001 }))).name, 'InvalidParameterValue');
  // The eu-west-1 instance is not found through a us-east-1 client.
  assert.equal((await ec2Error(describe({ InstanceIds: [instanceNamed(sandbox, 'eu-web-1').instanceId] }))).name, 'InvalidInstanceID.NotFound');
});

test('DescribeRegions lists the enabled regions, and one not-opted-in region with AllRegions', async () => {
  const enabled = (await client.send(new DescribeRegionsCommand({}))).Regions ?? [];
  assert.deepEqual(enabled.map((region) => [region.RegionName, region.OptInStatus]), [['us-east-1', 'opt-in-not-required'], ['eu-west-1', 'opt-in-not-required']]);
  assert.equal(enabled[0].Endpoint, 'ec2.us-east-1.amazonaws.com');
  const all = (await client.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
  const disabled = all.filter((region) => region.OptInStatus === 'not-opted-in');
  assert.equal(disabled.length, 1);
  assert.equal(all.length, 3);
  // Calls into that region are refused, as for a region the account has not enabled.
  const error = await ec2Error(describe({}, disabled[0].RegionName));
  assert.equal(error.name, 'AuthFailure');
  assert.equal(error.$metadata.httpStatusCode, 401);
});

test('DescribeImages gives each instance\'s AMI the name, description and platform user detection reads', async () => {
  const expected: Record<string, RegExp> = {
    'web-prod-1': /^al2023-ami-/, 'api-staging': /^ubuntu\/images\/.*jammy/, 'db-internal': /^RHEL-9/,
    'legacy-reports': /^CentOS Linux 7/, 'build-windows': /^Windows_Server-2022/, 'batch-worker': /^amzn2-ami-/,
  };
  const instances = await describe();
  for (const instance of instances) {
    const pattern = expected[nameTag(instance) ?? ''];
    if (!pattern) continue;
    const [image] = (await client.send(new DescribeImagesCommand({ ImageIds: [instance.ImageId!] }))).Images ?? [];
    assert.match(image.Name ?? '', pattern, nameTag(instance));
    assert.ok(image.Description, `${nameTag(instance)} has a description`);
    assert.equal(image.PlatformDetails, instance.PlatformDetails);
    assert.equal(image.Platform, instance.Platform);
  }
  const euImages = (await ec2Client(sandbox, 'eu-west-1').send(new DescribeImagesCommand({}))).Images ?? [];
  for (const family of [/^debian-12-/, /^bitnami-/, /^Fedora-Cloud-Base/, /^suse-sles-/]) {
    assert.ok(euImages.some((image) => family.test(image.Name ?? '')), `an image matching ${family}`);
  }
  assert.equal((await ec2Error(client.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })))).name, 'InvalidAMIID.NotFound');
});

test('StartInstances: pending, then running, and the instance then takes SSH', async () => {
  const worker = instanceNamed(sandbox, 'batch-worker');
  assert.equal(await acceptsConnections(worker.host, worker.port), false);
  const result = await client.send(new StartInstancesCommand({ InstanceIds: [worker.instanceId] }));
  assert.deepEqual(result.StartingInstances?.map((change) => [change.InstanceId, change.PreviousState?.Name, change.CurrentState?.Name, change.CurrentState?.Code]),
    [[worker.instanceId, 'stopped', 'pending', 0]]);
  assert.equal((await describeOne(worker)).State?.Name, 'pending');
  await waitForState(worker, 'running');
  const running = await describeOne(worker);
  assert.equal(running.PublicIpAddress, worker.host);
  assert.ok(Date.now() - running.LaunchTime!.getTime() < 10_000, 'launch time is the start time');
  assert.equal(await pushAndWhoami(worker), 'ec2-user');
});

test('StopInstances takes sshd down: stopping, then stopped, and nothing listens', async () => {
  const worker = instanceNamed(sandbox, 'batch-worker');
  if ((await describeOne(worker)).State?.Name !== 'running') {
    await client.send(new StartInstancesCommand({ InstanceIds: [worker.instanceId] }));
    await waitForState(worker, 'running');
  }
  const result = await client.send(new StopInstancesCommand({ InstanceIds: [worker.instanceId] }));
  assert.deepEqual(result.StoppingInstances?.map((change) => [change.PreviousState?.Name, change.CurrentState?.Name]), [['running', 'stopping']]);
  await waitForState(worker, 'stopped');
  assert.equal(await acceptsConnections(worker.host, worker.port), false);
  const stopped = await describeOne(worker);
  assert.equal(stopped.StateReason?.Code, 'Client.UserInitiatedShutdown');
  const again = await ec2Error(client.send(new StartInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })));
  assert.equal(again.name, 'InvalidInstanceID.NotFound');
  const terminated = await ec2Error(client.send(new StartInstancesCommand({ InstanceIds: [instanceNamed(sandbox, 'old-bastion').instanceId] })));
  assert.equal(terminated.name, 'IncorrectInstanceState');
});

test('RebootInstances drops open sessions and the instance comes back', async () => {
  const api = instanceNamed(sandbox, 'api-staging');
  const key = newKey();
  await eicClient(sandbox, api.region).send(new SendSSHPublicKeyCommand({
    InstanceId: api.instanceId, InstanceOSUser: api.osUser, SSHPublicKey: key.publicKey,
  }));
  const session = await sshConnect({ host: api.host, port: api.port, username: api.osUser, privateKey: key.privateKey });
  session.on('error', () => undefined);
  const dropped = new Promise<void>((resolve) => session.once('close', () => resolve()));
  const result = await client.send(new RebootInstancesCommand({ InstanceIds: [api.instanceId] }));
  assert.equal(result.$metadata.httpStatusCode, 200);
  await dropped;
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      assert.equal(await pushAndWhoami(api), 'ubuntu');
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
});

test('GetConsoleOutput prints the fingerprints of the host keys the instance\'s sshd presents', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const result = await client.send(new GetConsoleOutputCommand({ InstanceId: web.instanceId, Latest: true }));
  assert.equal(result.InstanceId, web.instanceId);
  const output = Buffer.from(result.Output ?? '', 'base64').toString('utf8');
  const block = /-----BEGIN SSH HOST KEY FINGERPRINTS-----\n([\s\S]*?)\n.*-----END SSH HOST KEY FINGERPRINTS-----/.exec(output);
  assert.ok(block, 'the fingerprint block is there');
  const printed = [...block[1].matchAll(/(SHA256:[A-Za-z0-9+/]{43})/g)].map((match) => match[1]);
  assert.equal(printed.length, 2);

  const presented = await new Promise<string>((resolve, reject) => {
    const ssh = new Client();
    ssh.on('error', () => undefined);
    ssh.connect({
      host: web.host, port: web.port, username: 'nobody-in-particular', readyTimeout: 5000,
      hostVerifier: (key: Buffer) => {
        resolve(`SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`);
        ssh.end();
        return false;
      },
    });
    setTimeout(() => reject(new Error('no host key')), 5000).unref();
  });
  assert.ok(printed.includes(presented), `${presented} is among ${printed.join(', ')}`);
});

test('serial console access: status, disable, enable', async () => {
  assert.equal((await client.send(new GetSerialConsoleAccessStatusCommand({}))).SerialConsoleAccessEnabled, true);
  assert.equal((await client.send(new DisableSerialConsoleAccessCommand({}))).SerialConsoleAccessEnabled, false);
  assert.equal((await client.send(new GetSerialConsoleAccessStatusCommand({}))).SerialConsoleAccessEnabled, false);
  assert.equal((await client.send(new EnableSerialConsoleAccessCommand({}))).SerialConsoleAccessEnabled, true);
  assert.equal((await client.send(new GetSerialConsoleAccessStatusCommand({}))).SerialConsoleAccessEnabled, true);
});

test('signatures: a wrong secret is SignatureDoesNotMatch, an unknown key AuthFailure, a skewed clock RequestExpired', async () => {
  const wrong = await ec2Error(ec2Client(sandbox, 'us-east-1', 'wrong-secret-wrong-secret-wrong-secret-00').send(new DescribeInstancesCommand({})));
  assert.equal(wrong.name, 'SignatureDoesNotMatch');
  assert.equal(wrong.$metadata.httpStatusCode, 403);
  const { endpoint, credentials } = sandbox.manifest;
  const stranger = new ec2.EC2Client({ region: 'us-east-1', endpoint, credentials: { ...credentials, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, maxAttempts: 1 });
  const unknown = await ec2Error(stranger.send(new DescribeInstancesCommand({})));
  assert.equal(unknown.name, 'AuthFailure');
  assert.equal(unknown.$metadata.httpStatusCode, 401);
  const late = new ec2.EC2Client({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1, systemClockOffset: 10 * 60 * 1000 });
  const expired = await ec2Error(late.send(new DescribeInstancesCommand({})));
  assert.equal(expired.name, 'RequestExpired');
});

test('EC2 faults: UnauthorizedOperation, throttling as RequestLimitExceeded, a failing region beside a working one', async () => {
  await sandbox.injectFault({ operation: 'DescribeInstances', error: 'UnauthorizedOperation', times: 1 });
  const denied = await ec2Error(describe());
  assert.equal(denied.name, 'UnauthorizedOperation');
  assert.equal(denied.$metadata.httpStatusCode, 403);
  assert.match(denied.message, /not authorized to perform: ec2:DescribeInstances/);

  await sandbox.injectFault({ operation: 'DescribeInstances', error: 'ThrottlingException', times: 1 });
  const throttled = await ec2Error(describe());
  assert.equal(throttled.name, 'RequestLimitExceeded');
  assert.equal(throttled.$metadata.httpStatusCode, 503);

  await sandbox.injectFault({ region: 'eu-west-1', error: 'AuthFailure' });
  try {
    assert.equal((await ec2Error(describe({}, 'eu-west-1'))).name, 'AuthFailure');
    assert.ok((await describe()).length > 0, 'us-east-1 still answers');
  } finally {
    await sandbox.clearFaults();
  }
  assert.ok((await describe({}, 'eu-west-1')).length > 0);
});

test('DryRun answers DryRunOperation and changes nothing', async () => {
  const worker = instanceNamed(sandbox, 'sap-test');
  const error = await ec2Error(ec2Client(sandbox, 'eu-west-1').send(new StartInstancesCommand({ InstanceIds: [worker.instanceId], DryRun: true })));
  assert.equal(error.name, 'DryRunOperation');
  assert.equal((await describeOne(worker)).State?.Name, 'stopped');
});
