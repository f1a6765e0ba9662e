import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AwsProfile } from '../../src/core/aws/profiles';
import { silentLogger } from '../../src/core/base/log';
import { defaultSettings, type Settings } from '../../src/core/base/settings';
import { Inventory } from '../../src/core/inventory/inventory';
import { planTargets } from '../../src/core/inventory/plan';
import { TransitionalPoller } from '../../src/core/inventory/transitionalPoller';
import { InstancesTreeModel } from '../../src/editor/tree/instancesTreeModel';
import { describeNode, type ExplorerNode } from '../../src/editor/tree/nodes';
import { awsError, FakeBackend, type FakeRegion } from '../fakes/fakeBackend';
import { instance } from '../fakes/sdkInstances';

const dev: AwsProfile = { name: 'dev', label: 'dev', region: 'eu-west-1', source: 'static' };
const prod: AwsProfile = { name: 'prod', label: 'prod', region: 'us-east-1', source: 'sso', sso: { startUrl: 'https://x.awsapps.com/start', region: 'us-east-1' } };

/** The tree over an inventory, both as the extension makes them, listing from a scripted backend. */
function model(profiles: AwsProfile[], regions: Record<string, FakeRegion>, overrides: Partial<Settings> = {}) {
  const backend = new FakeBackend(profiles, regions);
  const settings = { ...defaultSettings, ...overrides };
  const inv = new Inventory({ backend: () => backend, plan: async (b) => planTargets(await b.loadProfiles(), settings, b.env), log: silentLogger });
  const m = new InstancesTreeModel(inv, () => settings);
  return { backend, inv, m };
}

/** The tree as a user sees it: each row's label and description, children indented. */
async function render(m: InstancesTreeModel, node?: ExplorerNode, depth = 0): Promise<string[]> {
  const lines: string[] = [];
  for (const child of await m.children(node)) {
    const row = describeNode(child);
    lines.push(`${'  '.repeat(depth)}${row.label}${row.description ? ` — ${row.description}` : ''}`);
    lines.push(...(await render(m, child, depth + 1)));
  }
  return lines;
}

const web = (id: string, name: string, state = 'running', region = 'eu-west-1', profile = 'dev') =>
  instance({ InstanceId: id, Tags: [{ Key: 'Name', Value: name }], State: { Name: state as 'running' } }, { profile, region });

test('one profile with one region: both levels are skipped, instances sorted by name', async () => {
  const { m, inv } = model([dev], { 'dev/eu-west-1': { pages: [[web('i-00000002', 'web-b'), web('i-00000001', 'web-a')]] } });
  await m.children();
  await inv.settled();
  assert.equal(m.state, 'ready');
  assert.deepEqual(await render(m), ['web-a — i-00000001 · t3.micro · running', 'web-b — i-00000002 · t3.micro · running']);
});

test('alwaysShowProfiles and alwaysShowRegions keep single levels', async () => {
  const { m, inv } = model([dev], { 'dev/eu-west-1': { pages: [[web('i-00000001', 'web-a')]] } }, { alwaysShowProfiles: true, alwaysShowRegions: true });
  await m.children();
  await inv.settled();
  assert.deepEqual(await render(m), ['dev — eu-west-1', '  eu-west-1 — 1 instance', '    web-a — i-00000001 · t3.micro · running']);
});

test('two regions: a failing region shows its reason beside the working one, and Retry lists it again', async () => {
  const regions: Record<string, FakeRegion> = {
    'dev/eu-west-1': { pages: [[web('i-00000001', 'web-a')]] },
    'dev/us-east-2': { error: awsError('ThrottlingException', 'Rate exceeded') },
  };
  const { m, inv, backend } = model([dev], regions, { regions: ['eu-west-1', 'us-east-2'] });
  await m.children();
  await inv.settled();
  const rows = await render(m);
  assert.equal(rows[0], 'eu-west-1 — 1 instance');
  assert.equal(rows[1], '  web-a — i-00000001 · t3.micro · running');
  assert.match(rows[2], /^us-east-2 — Could not list the instances in us-east-2: AWS is throttling requests/);
  const errorRow = (await m.children()).find((n) => n.kind === 'regionError');
  assert.equal(errorRow && describeNode(errorRow).contextValue, 'regionError');

  regions['dev/us-east-2'] = { pages: [[web('i-00000009', 'db', 'stopped', 'us-east-2')]] };
  await inv.retryRegion('dev', 'us-east-2');
  assert.deepEqual((await render(m)).slice(2), ['us-east-2 — 1 instance', '  db — i-00000009 · t3.micro · stopped']);
  assert.deepEqual(backend.calls.filter((c) => c.startsWith('list')), ['list dev/eu-west-1', 'list dev/us-east-2', 'list dev/us-east-2']);
});

test('expired SSO shows once at the profile with Sign In; the other profile still lists', async () => {
  const { m, inv } = model([dev, prod], {
    'dev/eu-west-1': { pages: [[web('i-00000001', 'web-a')]] },
    'prod/us-east-1': { error: awsError('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid.') },
  });
  await m.children();
  await inv.settled();
  const roots = await m.children();
  assert.deepEqual(roots.map((n) => n.kind), ['profile', 'profileError']);
  const prodRow = describeNode(roots[1]);
  assert.equal(prodRow.contextValue, 'profileError-signIn');
  assert.equal(prodRow.command?.id, 'ec2InstanceConnect.signIn');
  assert.match(prodRow.tooltip ?? '', /sign-in session of profile "prod" has expired/);
  assert.deepEqual(await render(m, roots[0]), ['web-a — i-00000001 · t3.micro · running']);
});

test('rejected access keys show at the profile with Open AWS Config File, not as one error per region', async () => {
  const { m, inv } = model([dev], {
    'dev/eu-west-1': { error: awsError('AuthFailure', 'AWS was not able to validate the provided access credentials') },
    'dev/us-east-2': { error: awsError('AuthFailure', 'AWS was not able to validate the provided access credentials') },
  }, { regions: ['eu-west-1', 'us-east-2'] });
  await m.children();
  await inv.settled();
  const roots = await m.children();
  assert.equal(roots.length, 1);
  assert.equal(describeNode(roots[0]).contextValue, 'profileError-credentials');
  assert.equal(describeNode(roots[0]).command?.id, 'ec2InstanceConnect.openAwsConfig');
});

test('an opt-in region the account has not enabled is skipped with a note', async () => {
  const { m, inv, backend } = model([dev], {
    'dev/eu-west-1': { pages: [[web('i-00000001', 'web-a')]] },
    'dev/af-south-1': { error: awsError('AuthFailure', 'AWS was not able to validate the provided access credentials') },
  }, { regions: ['eu-west-1', 'af-south-1'] });
  backend.accountRegions = [
    { name: 'af-south-1', optInStatus: 'not-opted-in', enabled: false },
    { name: 'eu-west-1', optInStatus: 'opt-in-not-required', enabled: true },
  ];
  await m.children();
  await inv.settled();
  const rows = await render(m);
  assert.deepEqual(rows, ['eu-west-1 — 1 instance', '  web-a — i-00000001 · t3.micro · running', 'af-south-1 — skipped: opt-in region not enabled for this account']);
});

test('a profile without any region asks for one at the profile', async () => {
  const { m } = model([{ name: 'bare', label: 'bare', source: 'static' }], {});
  const roots = await m.children();
  assert.equal(describeNode(roots[0]).contextValue, 'profileError-noRegion');
  assert.equal(describeNode(roots[0]).command?.id, 'ec2InstanceConnect.chooseRegions');
});

test('no profiles at all: the view is empty and its state says noCredentials (the welcome view explains)', async () => {
  const { m } = model([], {});
  assert.deepEqual(await m.children(), []);
  assert.equal(m.state, 'noCredentials');
});

test('pages stream in: the first page shows while the region is still loading, and a slow region does not hold back a fast one', async () => {
  let releaseSlow!: () => void;
  const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
  const { m, inv } = model([dev], {
    'dev/eu-west-1': { pages: [[web('i-00000001', 'web-a')]] },
    'dev/us-east-2': { gate: slow, pages: [[web('i-00000002', 'web-b', 'running', 'us-east-2')]] },
  }, { regions: ['eu-west-1', 'us-east-2'] });
  const changes: (string | undefined)[] = [];
  m.onDidChange((node) => changes.push(node && describeNode(node).id));
  await m.children();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(await render(m), ['eu-west-1 — 1 instance', '  web-a — i-00000001 · t3.micro · running', 'us-east-2 — loading…', '  Loading instances…']);
  assert.ok(changes.includes('region:dev/eu-west-1'), 'the region row itself is refreshed, not the whole tree');
  releaseSlow();
  await inv.settled();
  assert.equal((await render(m))[2], 'us-east-2 — 1 instance');
});

test('a refresh cancels the listing in flight: its late answers never reach the tree', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const regions: Record<string, FakeRegion> = { 'dev/eu-west-1': { gate, pages: [[web('i-00000001', 'old')]] } };
  const { m, inv } = model([dev], regions);
  await m.children();
  regions['dev/eu-west-1'] = { pages: [[web('i-00000002', 'new')]] };
  await inv.refresh();
  release();
  await inv.settled();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(await render(m), ['new — i-00000002 · t3.micro · running']);
});

test('the filter matches name, id, tag value or state; counts show in region rows; clearing restores all', async () => {
  const tagged = instance({ InstanceId: 'i-0000000a', Tags: [{ Key: 'Name', Value: 'api' }, { Key: 'team', Value: 'Payments' }] }, { profile: 'dev', region: 'eu-west-1' });
  const { m, inv } = model([dev], {
    'dev/eu-west-1': { pages: [[web('i-00000001', 'web-a'), web('i-00000002', 'web-b', 'stopped'), tagged]] },
    'dev/us-east-2': { pages: [[web('i-00000003', 'db', 'running', 'us-east-2')]] },
  }, { regions: ['eu-west-1', 'us-east-2'] });
  await m.children();
  await inv.settled();
  m.setFilter('payments');
  assert.deepEqual(await render(m), ['eu-west-1 — 1 of 3 instances', '  api — i-0000000a · t3.micro · running', 'us-east-2 — 0 of 1 instance', '  No instances match "payments"']);
  m.setFilter('WEB stopped');
  assert.deepEqual((await render(m)).slice(0, 2), ['eu-west-1 — 1 of 3 instances', '  web-b — i-00000002 · t3.micro · stopped']);
  m.setFilter('i-00000003');
  assert.equal((await render(m))[3], '  db — i-00000003 · t3.micro · running');
  m.setFilter('');
  assert.equal(m.filter, undefined);
  assert.equal((await render(m)).length, 6);
});

test('pending and stopping instances are polled every interval until they settle, then no more; rows keep their identity', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const regions: Record<string, FakeRegion> = {
    'dev/eu-west-1': { pages: [[web('i-00000001', 'web-a', 'pending'), web('i-00000002', 'web-b', 'stopping'), web('i-00000003', 'web-c', 'running')]] },
  };
  const { m, inv, backend } = model([dev], regions);
  await m.children();
  await inv.settled();
  const before = (await m.children())[0];
  const polls = () => backend.calls.filter((c) => c.startsWith('describe'));
  const poller = new TransitionalPoller(inv, () => 5);
  poller.setVisible(true);
  const tick = async (ms: number) => {
    t.mock.timers.tick(ms);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };

  await tick(4999);
  assert.deepEqual(polls(), [], 'nothing before the interval');
  await tick(1);
  assert.deepEqual(polls(), ['describe dev/eu-west-1 i-00000001,i-00000002'], 'only the transitional instances, in one call per region');
  assert.equal(describeNode((await m.children())[0]).contextValue, 'instance-pending-linux-serial-ip', 'still pending: polled again');

  regions['dev/eu-west-1'] = { pages: [[web('i-00000001', 'web-a', 'running'), web('i-00000002', 'web-b', 'stopping')]] };
  await tick(5000);
  assert.equal(polls().length, 2);
  assert.equal(polls()[1], 'describe dev/eu-west-1 i-00000001,i-00000002');
  const after = (await m.children())[0];
  assert.equal(after, before, 'the row is the same node, updated in place');
  assert.equal(describeNode(after).contextValue, 'instance-running-linux-serial-ip');

  regions['dev/eu-west-1'] = { pages: [[web('i-00000002', 'web-b', 'stopped')]] };
  await tick(5000);
  assert.equal(polls()[2], 'describe dev/eu-west-1 i-00000002', 'the settled one drops out of the poll');
  assert.deepEqual(inv.transitional(), []);
  await tick(60_000);
  assert.equal(polls().length, 3, 'nothing is polled once every instance has settled');
  poller.dispose();
});

test('a refresh before the view ever asked for rows reads nothing (the view stays lazy)', async () => {
  const { m, inv, backend } = model([dev], {});
  await inv.refresh();
  assert.deepEqual(backend.calls, []);
  assert.equal(m.state, 'loading');
});

const privateOne = (id: string, name: string, vpcId: string, subnetId: string) =>
  instance({ InstanceId: id, Tags: [{ Key: 'Name', Value: name }], PublicIpAddress: undefined, VpcId: vpcId, SubnetId: subnetId }, { profile: 'dev', region: 'eu-west-1' });
const eice = (id: string, vpcId: string, subnetId: string) => ({ id, dnsName: `${id}.x`, vpcId, subnetId, state: 'create-complete', securityGroupIds: [], region: 'eu-west-1' });

test('how each row is reached: its endpoint (its subnet\'s, else its VPC\'s) or no way in, with one endpoint lookup for the region', async () => {
  const rows = [
    web('i-00000001', 'web-a'),
    privateOne('i-00000002', 'db', 'vpc-1', 'subnet-2'),
    privateOne('i-00000003', 'cache', 'vpc-1', 'subnet-9'),
    privateOne('i-00000004', 'isolated', 'vpc-7', 'subnet-7'),
  ];
  const endpoints = [eice('eice-0000000000000000a', 'vpc-1', 'subnet-1'), eice('eice-0000000000000000b', 'vpc-1', 'subnet-2')];
  const { m, inv, backend } = model([dev], { 'dev/eu-west-1': { pages: [rows], endpoints } });
  await m.children();
  await inv.settled();
  await waitForCall(backend, 'endpoints dev/eu-west-1');
  await new Promise((resolve) => setImmediate(resolve));
  const nodes = await m.children();
  const view = (name: string) => describeNode(nodes.find((n) => describeNode(n).label === name)!);
  assert.equal(backend.calls.filter((c) => c.startsWith('endpoints')).length, 1, 'once for the region, not per row');
  assert.match(view('web-a').tooltip ?? '', /Reached directly at its public IPv4 address 203\.0\.113\.10/);
  assert.match(view('db').tooltip ?? '', /Reached through EC2 Instance Connect Endpoint eice-0000000000000000b \(subnet-2\)/);
  assert.match(view('db').description ?? '', /via endpoint$/);
  assert.match(view('cache').tooltip ?? '', /Reached through EC2 Instance Connect Endpoint eice-0000000000000000a \(subnet-1\)/);
  assert.match(view('isolated').description ?? '', /no way in$/);
  assert.match(view('isolated').tooltip ?? '', /No way in: no public address and no Instance Connect Endpoint in vpc-7/);
  assert.match(view('isolated').contextValue ?? '', /-noEndpoint$/);
  assert.doesNotMatch(view('db').contextValue ?? '', /noEndpoint/);
});

test('a region with only public instances looks no endpoint up; a failed lookup is said in the tooltip', async () => {
  const { inv, backend } = model([dev], { 'dev/eu-west-1': { pages: [[web('i-00000001', 'web-a')]] } });
  await inv.ensureLoaded();
  await inv.settled();
  assert.deepEqual(backend.calls.filter((c) => c.startsWith('endpoints')), []);

  const failing = model([dev], { 'dev/eu-west-1': { pages: [[privateOne('i-00000002', 'db', 'vpc-1', 'subnet-2')]], endpoints: awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.') } });
  await failing.m.children();
  await failing.inv.settled();
  await waitForCall(failing.backend, 'endpoints dev/eu-west-1');
  await new Promise((resolve) => setImmediate(resolve));
  const [row] = await failing.m.children();
  assert.match(describeNode(row).tooltip ?? '', /could not be looked up: .*ec2:DescribeInstanceConnectEndpoints/);
});

test('the endpoint lookup starts with the first page that needs it, while the region is still listing, and the listing settles after it', async () => {
  let release!: () => void;
  const afterFirstPage = new Promise<void>((resolve) => (release = resolve));
  const endpoints = [eice('eice-0000000000000000b', 'vpc-1', 'subnet-2')];
  const { m, inv, backend } = model([dev], {
    'dev/eu-west-1': { pages: [[web('i-00000001', 'web-a')], [privateOne('i-00000002', 'db', 'vpc-1', 'subnet-2')], [privateOne('i-00000003', 'cache', 'vpc-1', 'subnet-2')]], afterFirstPage, endpoints },
  });
  await m.children();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(backend.calls.filter((c) => c.startsWith('endpoints')), [], 'no lookup for a page of public instances');
  release();
  await inv.settled();
  // Settled means the rows say how each is reached: no wait for a lookup that ran after the listing.
  const nodes = await m.children();
  const view = (name: string) => describeNode(nodes.find((n) => describeNode(n).label === name)!);
  assert.match(view('db').tooltip ?? '', /Reached through EC2 Instance Connect Endpoint eice-0000000000000000b \(subnet-2\)/);
  assert.equal(backend.calls.filter((c) => c.startsWith('endpoints')).length, 1, 'once for the region, not once per page');
  assert.ok(backend.calls.indexOf('endpoints dev/eu-west-1') < backend.calls.indexOf('done dev/eu-west-1'), `looked up before the last page: ${backend.calls.join(', ')}`);
});

async function waitForCall(backend: FakeBackend, call: string): Promise<void> {
  for (let i = 0; i < 100 && !backend.calls.includes(call); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(backend.calls.includes(call), `${call} in ${backend.calls.join(', ')}`);
}
