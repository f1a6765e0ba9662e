import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';

import {
  CreateInstanceConnectEndpointCommand,
  DescribeInstanceConnectEndpointsCommand,
  type DescribeInstanceConnectEndpointsCommandInput,
  type EC2Client,
  type Ec2InstanceConnectEndpoint,
} from '@aws-sdk/client-ec2';

import type { AwsClients } from '../../src/core/aws/clients';
import { EndpointDirectory } from '../../src/core/eice/endpointDirectory';
import { createEndpoint, describeUsableEndpoints, type InstanceConnectEndpoint, waitForEndpoint } from '../../src/core/eice/endpoints';
import { pickEndpoint } from '../../src/core/eice/pickEndpoint';
import { isProductError } from '../../src/core/errors/productError';

const usable = ['create-complete', 'update-in-progress', 'update-failed', 'update-complete'];

function sdkEndpoint(id: string, vpcId: string, subnetId: string, state = 'create-complete', extra: Partial<Ec2InstanceConnectEndpoint> = {}): Ec2InstanceConnectEndpoint {
  return { InstanceConnectEndpointId: id, DnsName: `${id}.0123abcd.ec2-instance-connect-endpoint.us-east-1.amazonaws.com`, VpcId: vpcId, SubnetId: subnetId, State: state as never, SecurityGroupIds: ['sg-1'], ...extra };
}

/** An EC2Client whose DescribeInstanceConnectEndpoints answers from pages (one array per call), recording each input. */
function fakeEc2(pages: Ec2InstanceConnectEndpoint[][] | ((input: DescribeInstanceConnectEndpointsCommandInput) => Ec2InstanceConnectEndpoint[])) {
  const inputs: DescribeInstanceConnectEndpointsCommandInput[] = [];
  const created: unknown[] = [];
  const ec2 = {
    send: async (command: unknown) => {
      if (command instanceof CreateInstanceConnectEndpointCommand) {
        created.push(command.input);
        return { InstanceConnectEndpoint: sdkEndpoint('eice-0aaaaaaaaaaaaaaa1', 'vpc-1', command.input.SubnetId ?? '', 'create-in-progress') };
      }
      if (!(command instanceof DescribeInstanceConnectEndpointsCommand)) throw new Error('unexpected EC2 call');
      inputs.push(command.input);
      if (typeof pages === 'function') return { InstanceConnectEndpoints: pages(command.input) };
      const index = command.input.NextToken ? Number(command.input.NextToken) : 0;
      return { InstanceConnectEndpoints: pages[index] ?? [], NextToken: index + 1 < pages.length ? String(index + 1) : undefined };
    },
  } as unknown as EC2Client;
  return { ec2, inputs, created };
}

const endpoint = (id: string, vpcId: string, subnetId: string): InstanceConnectEndpoint => ({ id, dnsName: `${id}.x`, vpcId, subnetId, state: 'create-complete', securityGroupIds: [], region: 'us-east-1' });

test('pickEndpoint: the first in the instance\'s subnet, else the first in its VPC, else none', () => {
  const endpoints = [endpoint('eice-a', 'vpc-2', 'subnet-9'), endpoint('eice-b', 'vpc-1', 'subnet-1'), endpoint('eice-c', 'vpc-1', 'subnet-2'), endpoint('eice-d', 'vpc-1', 'subnet-2')];
  assert.equal(pickEndpoint(endpoints, { vpcId: 'vpc-1', subnetId: 'subnet-2' })?.id, 'eice-c');
  assert.equal(pickEndpoint(endpoints, { vpcId: 'vpc-1', subnetId: 'subnet-7' })?.id, 'eice-b');
  assert.equal(pickEndpoint(endpoints, { vpcId: 'vpc-3', subnetId: 'subnet-9' }), undefined);
  assert.equal(pickEndpoint(endpoints, {}), undefined);
});

test("describeUsableEndpoints: AWS CLI v2's state filter and the VPC, every page of 50", async () => {
  const { ec2, inputs } = fakeEc2([[sdkEndpoint('eice-1', 'vpc-1', 'subnet-1')], [sdkEndpoint('eice-2', 'vpc-1', 'subnet-2', 'update-complete', { FipsDnsName: 'fips.example', InstanceConnectEndpointArn: 'arn:aws:ec2:us-east-1:123456789012:instance-connect-endpoint/eice-2' })]]);
  const found = await describeUsableEndpoints(ec2, 'us-east-1', { vpcIds: ['vpc-1'] });
  assert.deepEqual(found.map((e) => [e.id, e.state, e.region]), [['eice-1', 'create-complete', 'us-east-1'], ['eice-2', 'update-complete', 'us-east-1']]);
  assert.equal(found[1].fipsDnsName, 'fips.example');
  assert.equal(found[1].arn, 'arn:aws:ec2:us-east-1:123456789012:instance-connect-endpoint/eice-2');
  assert.deepEqual(inputs, [
    { Filters: [{ Name: 'state', Values: usable }, { Name: 'vpc-id', Values: ['vpc-1'] }], MaxResults: 50, NextToken: undefined, InstanceConnectEndpointIds: undefined },
    { Filters: [{ Name: 'state', Values: usable }, { Name: 'vpc-id', Values: ['vpc-1'] }], MaxResults: 50, NextToken: '1', InstanceConnectEndpointIds: undefined },
  ]);
});

test('describeUsableEndpoints by id: the ids with the state filter, no MaxResults', async () => {
  const { ec2, inputs } = fakeEc2([[sdkEndpoint('eice-0123456789abcdef0', 'vpc-1', 'subnet-1')]]);
  await describeUsableEndpoints(ec2, 'us-east-1', { ids: ['eice-0123456789abcdef0'] });
  assert.deepEqual(inputs[0], { InstanceConnectEndpointIds: ['eice-0123456789abcdef0'], Filters: [{ Name: 'state', Values: usable }], MaxResults: undefined, NextToken: undefined });
});

const instance = { instanceId: 'i-0123456789abcdef0', name: 'db-internal', region: 'us-east-1', vpcId: 'vpc-1', subnetId: 'subnet-2' };

const directory = (ec2: EC2Client, now = () => 0) => new EndpointDirectory(() => ({ ec2Client: () => ec2 }) as unknown as AwsClients, 60_000, now);

test('the directory: one lookup per region for every instance, the subnet preferred across pages, the VPC named when there is none', async () => {
  const { ec2, inputs } = fakeEc2([[sdkEndpoint('eice-1', 'vpc-1', 'subnet-1')], [sdkEndpoint('eice-2', 'vpc-1', 'subnet-2')]]);
  const endpoints = directory(ec2);
  assert.equal((await endpoints.forInstance(instance)).id, 'eice-2');
  assert.equal((await endpoints.forInstance({ ...instance, subnetId: 'subnet-9' })).id, 'eice-1', 'another subnet of the VPC: its first endpoint');
  assert.equal(inputs.length, 2, 'two pages, once');
  await assert.rejects(endpoints.forInstance({ ...instance, vpcId: 'vpc-7' }), (err: unknown) => {
    assert.ok(isProductError(err, 'noEndpoint'));
    assert.match(err.message, /db-internal \(i-0123456789abcdef0\) in us-east-1 has no public address and there is no EC2 Instance Connect Endpoint in vpc-7/);
    assert.equal(err.facts.vpcId, 'vpc-7');
    assert.equal(err.facts.subnetId, 'subnet-2');
    return true;
  });
});

test('the directory looks again when asked fresh, after its time, and after a failure', async () => {
  let time = 0;
  let fail = true;
  const { ec2, inputs } = fakeEc2(() => {
    if (fail) {
      fail = false;
      throw Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' });
    }
    return [sdkEndpoint('eice-1', 'vpc-1', 'subnet-1')];
  });
  const endpoints = directory(ec2, () => time);
  await assert.rejects(endpoints.list({ region: 'us-east-1' }), /Rate exceeded/);
  await endpoints.list({ region: 'us-east-1' });
  await endpoints.list({ region: 'us-east-1' });
  assert.equal(inputs.length, 2, 'the failure was not kept; the answer was');
  await endpoints.list({ region: 'us-east-1' }, { fresh: true });
  time = 61_000;
  await endpoints.list({ region: 'us-east-1' });
  assert.equal(inputs.length, 4);
});

test('the directory with an explicit id: that one, or badInput for an unknown or malformed id', async () => {
  const { ec2 } = fakeEc2([[sdkEndpoint('eice-0123456789abcdef0', 'vpc-2', 'subnet-1')]]);
  const endpoints = directory(ec2);
  assert.equal((await endpoints.forInstance(instance, { endpointId: 'eice-0123456789abcdef0' })).id, 'eice-0123456789abcdef0');
  await assert.rejects(endpoints.forInstance(instance, { endpointId: 'eice-0fffffffffffffff0' }), (err: unknown) => isProductError(err, 'badInput') && /no available EC2 Instance Connect Endpoint eice-0fffffffffffffff0 in us-east-1/.test(err.message));
  await assert.rejects(endpoints.forInstance(instance, { endpointId: 'vpce-123' }), (err: unknown) => isProductError(err, 'badInput') && /is not an EC2 Instance Connect Endpoint id/.test(err.message));
});

test('createEndpoint asks for the subnet, security groups and client IP preservation', async () => {
  const { ec2, created } = fakeEc2([[]]);
  const made = await createEndpoint(ec2, { region: 'us-east-1', subnetId: 'subnet-2', securityGroupIds: ['sg-9'], preserveClientIp: false });
  assert.deepEqual(created, [{ SubnetId: 'subnet-2', SecurityGroupIds: ['sg-9'], PreserveClientIp: false }]);
  assert.deepEqual([made.id, made.state, made.subnetId], ['eice-0aaaaaaaaaaaaaaa1', 'create-in-progress', 'subnet-2']);
});

/** Runs a wait on mock timers: each poll's sleep is skipped once the call before it has been answered. */
async function onMockTimers<T>(t: TestContext, work: () => Promise<T>): Promise<T> {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let settled = false;
  const promise = work();
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    t.mock.timers.tick(5_000);
  }
  return promise;
}

test('waitForEndpoint follows the states until create-complete, telling each one once', async (t) => {
  const states = ['create-in-progress', 'create-in-progress', 'create-in-progress', 'create-complete'];
  const { ec2, inputs } = fakeEc2(() => [sdkEndpoint('eice-0aaaaaaaaaaaaaaa1', 'vpc-1', 'subnet-2', states.shift() ?? 'create-complete')]);
  const seen: string[] = [];
  const done = await onMockTimers(t, () => waitForEndpoint(ec2, 'us-east-1', 'eice-0aaaaaaaaaaaaaaa1', { onState: (s) => seen.push(s) }));
  assert.equal(done.state, 'create-complete');
  assert.deepEqual(seen, ['create-in-progress', 'create-complete']);
  assert.equal(inputs.length, 4);
  assert.deepEqual(inputs[0].InstanceConnectEndpointIds, ['eice-0aaaaaaaaaaaaaaa1']);
  assert.equal(inputs[0].Filters, undefined);
});

test("waitForEndpoint: create-failed throws with AWS's StateMessage; a deleted endpoint too", async (t) => {
  const failed = fakeEc2(() => [sdkEndpoint('eice-0aaaaaaaaaaaaaaa1', 'vpc-1', 'subnet-2', 'create-failed', { StateMessage: 'Subnet has no free\x1b[2J addresses' })]);
  await assert.rejects(onMockTimers(t, () => waitForEndpoint(failed.ec2, 'us-east-1', 'eice-0aaaaaaaaaaaaaaa1', {})), (err: unknown) => {
    assert.ok(isProductError(err, 'noEndpoint'));
    assert.equal(err.message, 'EC2 Instance Connect Endpoint eice-0aaaaaaaaaaaaaaa1 in us-east-1 could not be created (create-failed): Subnet has no free addresses');
    return true;
  });
  const gone = fakeEc2(() => []);
  await assert.rejects(waitForEndpoint(gone.ec2, 'us-east-1', 'eice-0aaaaaaaaaaaaaaa1', {}), (err: unknown) => isProductError(err, 'noEndpoint') && /delete-complete/.test(err.message));
});

test('waitForEndpoint gives up after timeoutMs, and stops when the signal aborts', async (t) => {
  const slow = fakeEc2(() => [sdkEndpoint('eice-0aaaaaaaaaaaaaaa1', 'vpc-1', 'subnet-2', 'create-in-progress')]);
  await assert.rejects(onMockTimers(t, () => waitForEndpoint(slow.ec2, 'us-east-1', 'eice-0aaaaaaaaaaaaaaa1', { pollMs: 5_000, timeoutMs: 60_000 })), (err: unknown) => isProductError(err, 'timeout') && /still create-in-progress after 1 minute\./.test(err.message));
  const controller = new AbortController();
  const waiting = waitForEndpoint(slow.ec2, 'us-east-1', 'eice-0aaaaaaaaaaaaaaa1', { signal: controller.signal });
  await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  await assert.rejects(waiting, { name: 'AbortError' });
});
