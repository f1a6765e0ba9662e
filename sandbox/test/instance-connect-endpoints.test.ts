// Instance Connect Endpoints: the EC2 operations through the SDK, and tunnels opened as AWS CLI v2's open-tunnel
// opens them (TLS to port 443 of the DnsName, a presigned SigV4 URL, binary frames), as root only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';

import type * as ec2 from '@aws-sdk/client-ec2';
import {
  CreateInstanceConnectEndpointCommand, DeleteInstanceConnectEndpointCommand, DescribeInstanceConnectEndpointsCommand,
} from '@aws-sdk/client-ec2';
import type WebSocket from 'ws';

import { type Sandbox, type SandboxInstance, startSandbox } from '../index';
import { verifyPresigned } from '../sigv4';
import { ec2Client, instanceNamed, sleep } from './helpers';
import { closed, openTunnel, type Outcome, type TunnelUrl, tunnelUrl, tunnelVia } from './tunnels';

const root = process.getuid?.() === 0;
const rootOnly = { skip: root ? false : 'needs root: endpoints are reached on port 443 of their DnsName through /etc/hosts' };
let sandbox: Sandbox;
let client: ec2.EC2Client;

before(async () => {
  sandbox = await startSandbox({ endpointCreateSeconds: 0.5, maxEndpointConnections: 3, maxTunnelDurationSeconds: 2 });
  client = ec2Client(sandbox);
});

after(async () => {
  await sandbox?.stop();
});

const defaultEndpoint = () => sandbox.manifest.instanceConnectEndpoints[0];
const via = (instance: SandboxInstance, extra: Partial<TunnelUrl> = {}) => tunnelVia(sandbox, instance, extra);

async function refusal(url: string): Promise<Extract<Outcome, { kind: 'refused' }>> {
  const outcome = await openTunnel(sandbox, url);
  if (outcome.kind === 'open') {
    outcome.ws.close();
    assert.fail('the handshake was accepted');
  }
  assert.match(outcome.requestId ?? '', /^[0-9a-f-]{36}$/);
  return outcome;
}

test('the verifier accepts AWS CLI\'s own presign test vector', async () => {
  const query = new URLSearchParams({
    instanceConnectEndpointId: 'eice-123', remotePort: '22', privateIpAddress: '10.0.0.0', maxTunnelDuration: '1',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': 'access_key/20200101/us-west-2/ec2-instance-connect/aws4_request',
    'X-Amz-Date': '20200101T010101Z', 'X-Amz-Expires': '60', 'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': '3a56740422a5b9aebd22d860b7a30c729e459a6f71a83bc0de3a2b44b7353f28',
  });
  const request = { method: 'GET', host: 'eice-123.ec2-instance-connect-endpoint.us-west-2.amazonaws.com', path: '/openTunnel', query };
  const keys = { accessKeyId: 'access_key', secretAccessKey: 'secret_key' };
  assert.deepEqual(await verifyPresigned(request, keys, new Date(Date.UTC(2020, 0, 1, 1, 1, 30))), { ok: true, region: 'us-west-2', service: 'ec2-instance-connect' });
  assert.equal((await verifyPresigned(request, keys, new Date(Date.UTC(2020, 0, 1, 1, 3, 0)))).ok, false, 'expired after 60 s');
  query.set('remotePort', '3389');
  assert.equal((await verifyPresigned(request, keys, new Date(Date.UTC(2020, 0, 1, 1, 1, 30)))).ok, false, 'a changed parameter');
});

test('the VPC model: private IPs are loopback addresses inside their VPC, and nothing listens on them', async () => {
  const db = instanceNamed(sandbox, 'db-internal');
  const cache = instanceNamed(sandbox, 'cache-internal');
  const isolated = instanceNamed(sandbox, 'isolated-worker');
  const web = instanceNamed(sandbox, 'web-prod-1');
  assert.equal(db.publicIp, null);
  assert.equal(db.vpcId, web.vpcId);
  assert.equal(db.vpcId, cache.vpcId);
  assert.notEqual(db.subnetId, cache.subnetId);
  assert.notEqual(isolated.vpcId, db.vpcId);
  assert.equal(db.subnetId, defaultEndpoint().subnetId);
  for (const instance of sandbox.manifest.instances) {
    assert.match(instance.privateIp, /^127\.(1\d\d|2\d\d)\./, instance.name);
  }
  const refused = await new Promise<string>((resolve) => {
    const socket = connect({ host: db.privateIp, port: db.port });
    socket.once('connect', () => resolve('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''));
  });
  assert.equal(refused, 'ECONNREFUSED');
});

test('DescribeInstanceConnectEndpoints: fields, filters, paging, MaxResults rules', async () => {
  const { InstanceConnectEndpoints: all = [] } = await client.send(new DescribeInstanceConnectEndpointsCommand({}));
  assert.equal(all.length, 1);
  const [endpoint] = all;
  const manifest = defaultEndpoint();
  assert.equal(endpoint.InstanceConnectEndpointId, manifest.instanceConnectEndpointId);
  assert.match(endpoint.InstanceConnectEndpointId ?? '', /^eice-[0-9a-f]{17}$/);
  assert.match(endpoint.DnsName ?? '', /^eice-[0-9a-f]{17}\.[0-9a-f]{8}\.ec2-instance-connect-endpoint\.us-east-1\.amazonaws\.com$/);
  assert.equal(endpoint.DnsName, manifest.dnsName);
  assert.match(endpoint.FipsDnsName ?? '', /\.fips\.ec2-instance-connect-endpoint\./);
  assert.equal(endpoint.State, 'create-complete');
  assert.equal(endpoint.VpcId, instanceNamed(sandbox, 'db-internal').vpcId);
  assert.equal(endpoint.SubnetId, instanceNamed(sandbox, 'db-internal').subnetId);
  assert.equal(endpoint.OwnerId, '386209384616');
  assert.equal(endpoint.InstanceConnectEndpointArn, `arn:aws:ec2:us-east-1:386209384616:instance-connect-endpoint/${manifest.instanceConnectEndpointId}`);
  assert.ok(endpoint.CreatedAt instanceof Date);
  assert.equal(endpoint.PreserveClientIp, false);
  assert.equal(endpoint.SecurityGroupIds?.length, 1);
  assert.match(endpoint.NetworkInterfaceIds?.[0] ?? '', /^eni-/);
  assert.equal(endpoint.IpAddressType, 'ipv4');
  assert.deepEqual(endpoint.Tags, [{ Key: 'Name', Value: 'default-eice' }]);

  const count = async (filters: ec2.Filter[]) => (await client.send(new DescribeInstanceConnectEndpointsCommand({ Filters: filters }))).InstanceConnectEndpoints?.length;
  assert.equal(await count([{ Name: 'vpc-id', Values: [manifest.vpcId] }]), 1);
  assert.equal(await count([{ Name: 'vpc-id', Values: [instanceNamed(sandbox, 'isolated-worker').vpcId] }]), 0);
  assert.equal(await count([{ Name: 'state', Values: ['create-complete', 'update-complete'] }]), 1);
  assert.equal(await count([{ Name: 'subnet-id', Values: [manifest.subnetId] }]), 1);
  assert.equal(await count([{ Name: 'tag:Name', Values: ['default-*'] }]), 1);
  assert.equal(await count([{ Name: 'tag-key', Values: ['Team'] }]), 0);
  assert.equal(await count([{ Name: 'instance-connect-endpoint-id', Values: [manifest.instanceConnectEndpointId] }]), 1);
  const byId = await client.send(new DescribeInstanceConnectEndpointsCommand({ InstanceConnectEndpointIds: [manifest.instanceConnectEndpointId] }));
  assert.equal(byId.InstanceConnectEndpoints?.length, 1);

  const error = async (input: ec2.DescribeInstanceConnectEndpointsCommandInput) =>
    client.send(new DescribeInstanceConnectEndpointsCommand(input)).then(() => assert.fail('expected an error'), (caught: Error) => caught.name);
  assert.equal(await error({ MaxResults: 0 }), 'InvalidParameterValue');
  assert.equal(await error({ MaxResults: 51 }), 'InvalidParameterValue');
  assert.equal(await error({ InstanceConnectEndpointIds: ['eice-0123456789abcdef0'] }), 'InvalidInstanceConnectEndpointId.NotFound');
  assert.equal(await error({ Filters: [{ Name: 'colour', Values: ['x'] }] }), 'InvalidParameterValue');

  // Paging: a second endpoint, in the isolated VPC (one per VPC), makes two pages of one.
  const isolated = instanceNamed(sandbox, 'isolated-worker');
  const second = await client.send(new CreateInstanceConnectEndpointCommand({ SubnetId: isolated.subnetId }));
  const first = await client.send(new DescribeInstanceConnectEndpointsCommand({ MaxResults: 1 }));
  assert.equal(first.InstanceConnectEndpoints?.length, 1);
  assert.ok(first.NextToken);
  const rest = await client.send(new DescribeInstanceConnectEndpointsCommand({ MaxResults: 1, NextToken: first.NextToken }));
  assert.equal(rest.InstanceConnectEndpoints?.[0].InstanceConnectEndpointId, second.InstanceConnectEndpoint?.InstanceConnectEndpointId);
  assert.equal(rest.NextToken, undefined);
  await client.send(new DeleteInstanceConnectEndpointCommand({ InstanceConnectEndpointId: second.InstanceConnectEndpoint?.InstanceConnectEndpointId }));
});

test('Create → create-complete → a tunnel works → Delete; the errors EC2 gives', rootOnly, async () => {
  const eu = sandbox.manifest.instances.find((instance) => instance.name === 'eu-web-1')!;
  const euClient = ec2Client(sandbox, eu.region);
  const error = (call: Promise<unknown>) => call.then(() => assert.fail('expected an error'), (caught: Error) => caught.name);
  assert.equal(await error(euClient.send(new CreateInstanceConnectEndpointCommand({ SubnetId: 'subnet-0123456789abcdef0' }))), 'InvalidSubnetID.NotFound');
  assert.equal(await error(client.send(new CreateInstanceConnectEndpointCommand({ SubnetId: defaultEndpoint().subnetId }))), 'ResourceLimitExceeded');
  const created = await euClient.send(new CreateInstanceConnectEndpointCommand({
    SubnetId: eu.subnetId, ClientToken: 'token-1', TagSpecifications: [{ ResourceType: 'instance-connect-endpoint', Tags: [{ Key: 'Team', Value: 'web' }] }],
  }));
  const endpoint = created.InstanceConnectEndpoint!;
  assert.equal(endpoint.State, 'create-in-progress');
  assert.equal(created.ClientToken, 'token-1');
  const again = await euClient.send(new CreateInstanceConnectEndpointCommand({
    SubnetId: eu.subnetId, ClientToken: 'token-1', TagSpecifications: [{ ResourceType: 'instance-connect-endpoint', Tags: [{ Key: 'Team', Value: 'web' }] }],
  }));
  assert.equal(again.InstanceConnectEndpoint?.InstanceConnectEndpointId, endpoint.InstanceConnectEndpointId, 'idempotent');
  assert.ok(!sandbox.manifest.instanceConnectEndpoints.some((listed) => listed.instanceConnectEndpointId === endpoint.InstanceConnectEndpointId));
  const state = async () => (await euClient.send(new DescribeInstanceConnectEndpointsCommand({ InstanceConnectEndpointIds: [endpoint.InstanceConnectEndpointId!] }))).InstanceConnectEndpoints?.[0].State;
  for (let tries = 0; (await state()) !== 'create-complete'; tries++) {
    assert.ok(tries < 100, 'never create-complete');
    await sleep(50);
  }
  const outcome = await openTunnel(sandbox, await tunnelUrl(sandbox, { dnsName: endpoint.DnsName!, endpointId: endpoint.InstanceConnectEndpointId!, privateIp: eu.privateIp, region: eu.region }));
  assert.equal(outcome.kind, 'open');
  if (outcome.kind === 'open') {
    assert.match((await outcome.first).toString(), /^SSH-2\.0-OpenSSH/);
    const gone = closed(outcome.ws);
    await euClient.send(new DeleteInstanceConnectEndpointCommand({ InstanceConnectEndpointId: endpoint.InstanceConnectEndpointId }));
    await gone;
  }
  assert.equal(await state(), 'delete-in-progress');
  assert.ok(!sandbox.manifest.instanceConnectEndpoints.some((listed) => listed.instanceConnectEndpointId === endpoint.InstanceConnectEndpointId));
  assert.ok(!readFileSync('/etc/hosts', 'utf8').includes(endpoint.DnsName!), 'its /etc/hosts line went with it');
});

test('a tunnel through the DnsName on 443 reaches a private instance\'s sshd, and a public one\'s at its private IP', rootOnly, async () => {
  assert.equal(defaultEndpoint().port, 443);
  for (const name of ['db-internal', 'cache-internal', 'web-prod-1']) {
    const outcome = await openTunnel(sandbox, await via(instanceNamed(sandbox, name)));
    assert.equal(outcome.kind, 'open', name);
    if (outcome.kind !== 'open') continue;
    assert.match((await outcome.first).toString(), /^SSH-2\.0-OpenSSH/, name);
    outcome.ws.close();
    await closed(outcome.ws);
  }
  assert.ok(sandbox.endpointConnections(defaultEndpoint().instanceConnectEndpointId).total >= 3);
});

test('refused handshakes: signature, expiry, unknown key (403); port, IP outside the VPC, endpoint, duration (400)', rootOnly, async () => {
  const db = instanceNamed(sandbox, 'db-internal');
  const expectRefusal = async (url: string, status: number, errorCode: string) => {
    const outcome = await refusal(url);
    assert.equal(outcome.status, status, errorCode);
    assert.equal((outcome.body as { ErrorCode: string }).ErrorCode, errorCode);
    assert.equal(typeof (outcome.body as { Message: string }).Message, 'string');
    return outcome.body as { ErrorCode: string; Message: string };
  };
  await expectRefusal(await via(db, { secretAccessKey: 'wrong' }), 403, 'SignatureDoesNotMatch');
  await expectRefusal(await via(db, { signingDate: new Date(Date.now() - 120_000) }), 403, 'RequestExpired');
  await expectRefusal(await via(db, { signingDate: new Date(Date.now() + 10 * 60_000) }), 403, 'RequestExpired');
  await expectRefusal(await via(db, { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }), 403, 'InvalidClientTokenId');
  const port = await expectRefusal(await via(db, { remotePort: '80' }), 400, 'InvalidParameter');
  assert.equal(port.Message, 'The specified RemotePort is not valid. Specify either 22 or 3389 as the RemotePort and retry your request.');
  await expectRefusal(await via(instanceNamed(sandbox, 'isolated-worker')), 400, 'InvalidParameter');
  await expectRefusal(await via(db, { endpointId: 'eice-0123456789abcdef0' }), 400, 'InvalidParameter');
  await expectRefusal(await via(db, { maxTunnelDuration: '3601' }), 400, 'InvalidParameter');
  await expectRefusal(await via(db, { maxTunnelDuration: '0' }), 400, 'InvalidParameter');
});

test('the connection limit, the duration cut, text frames, and tunnel faults', rootOnly, async () => {
  const db = instanceNamed(sandbox, 'db-internal');
  const id = defaultEndpoint().instanceConnectEndpointId;
  const open: WebSocket[] = [];
  for (let index = 0; index < 3; index++) {
    const outcome = await openTunnel(sandbox, await via(db));
    assert.equal(outcome.kind, 'open');
    if (outcome.kind === 'open') open.push(outcome.ws);
  }
  assert.equal(sandbox.endpointConnections(id).open, 3);
  const over = await refusal(await via(db));
  assert.equal(over.status, 429);
  assert.equal((over.body as { ErrorCode: string }).ErrorCode, 'TooManyConnections');
  // The sandbox's ceiling is 2 s: the tunnels are cut then, with a code and a reason.
  const cut = await closed(open[0]);
  assert.deepEqual(cut, { code: 1001, reason: 'Maximum tunnel duration reached' });
  await Promise.all(open.slice(1).map(closed));

  const text = await openTunnel(sandbox, await via(db));
  if (text.kind === 'open') {
    text.ws.send('hello');
    assert.equal((await closed(text.ws)).code, 1003);
  }

  await sandbox.injectFault({ endpoint: id, handshakeStatus: 503, errorCode: 'ServiceUnavailable', message: 'Try again', times: 1 });
  const faulted = await refusal(await via(db));
  assert.deepEqual([faulted.status, faulted.body], [503, { ErrorCode: 'ServiceUnavailable', Message: 'Try again' }]);
  await sandbox.injectFault({ endpoint: '*', closeCode: 1011, closeReason: 'Unable to connect to target', times: 1 });
  const closing = await openTunnel(sandbox, await via(db));
  assert.equal(closing.kind, 'open');
  if (closing.kind === 'open') assert.deepEqual(await closed(closing.ws), { code: 1011, reason: 'Unable to connect to target' });
  await sandbox.injectFault({ endpoint: id, cutAfterSeconds: 0.2, times: 1 });
  const cutting = await openTunnel(sandbox, await via(db));
  if (cutting.kind === 'open') assert.equal((await closed(cutting.ws)).code, 1006, 'no close frame');
  await assert.rejects(sandbox.injectFault({ endpoint: id, closeCode: 1005, closeReason: '' }));
});

test('stop removes the /etc/hosts lines', rootOnly, async () => {
  const other = await startSandbox({ ssh: false });
  const name = other.manifest.instanceConnectEndpoints[0].dnsName;
  assert.ok(readFileSync('/etc/hosts', 'utf8').includes(name));
  await other.stop();
  assert.ok(!readFileSync('/etc/hosts', 'utf8').includes(name));
});
