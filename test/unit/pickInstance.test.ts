import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AwsProfile } from '../../src/core/aws/profiles';
import { isProductError } from '../../src/core/errors/productError';
import { instanceIdProblem, instancePickItem, typedInstanceItem } from '../../src/editor/pickers/instancePickItems';
import { instanceArgument, pickInstance } from '../../src/editor/pickers/pickInstance';
import { awsError, FakeBackend, type FakeRegion } from '../fakes/fakeBackend';
import { fakeServices } from '../fakes/fakeServices';
import { instance } from '../fakes/sdkInstances';

test('instance ids: 8 or 17 hex digits after i-; anything else gets a message that shows the expected form', () => {
  assert.equal(instanceIdProblem('i-0123456789abcdef0'), undefined);
  assert.equal(instanceIdProblem('i-0123abcd'), undefined);
  for (const bad of ['i-123', 'i-0123456789abcdef', 'i-0123456789ABCDEFG', 'i-0123456789abcdef0 ', 'ami-0123abcd', '']) {
    assert.match(instanceIdProblem(bad) ?? '', /is not an instance id.*i-0123456789abcdef0/, bad);
  }
});

test('typed text: names and IPs filter the list; a malformed id is a hint that cannot be chosen; a new well-formed id is looked up', () => {
  const listed = new Set(['i-0123456789abcdef0']);
  assert.equal(typedInstanceItem('web', listed), undefined);
  assert.equal(typedInstanceItem('10.0.1.10', listed), undefined);
  assert.equal(typedInstanceItem('i-0123456789abcdef0', listed), undefined, 'a listed id just filters the list');
  const malformed = typedInstanceItem('i-12x', listed);
  assert.equal(malformed?.acceptable, false);
  assert.match(malformed?.detail ?? '', /"i-12x" is not an instance id/);
  const lookup = typedInstanceItem(' I-0FEDCBA9876543210 ', listed);
  assert.deepEqual(lookup?.value, { kind: 'lookup', instanceId: 'i-0fedcba9876543210' });
  assert.notEqual(lookup?.acceptable, false);
});

test('a pick item can be found by name, id and IP, and an untrusted name cannot inject an icon', () => {
  const item = instancePickItem(instance({ Tags: [{ Key: 'Name', Value: 'web $(zap) [x](command:evil)' }] }), 'dev');
  assert.match(item.label, /^\$\(vm-running\) web \$\u200b\(zap\) \[x\]\(command:evil\)$/);
  assert.match(item.description ?? '', /i-0123456789abcdef0/);
  assert.match(item.detail ?? '', /dev · us-east-1 · 203\.0\.113\.10 · 10\.0\.1\.10/);
});

// The picker reads the environment like every AWS tool: these tests describe a machine without AWS variables.
for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[name];

const dev: AwsProfile = { name: 'dev', label: 'dev', region: 'eu-west-1', source: 'static' };
const bare: AwsProfile = { name: 'bare', label: 'bare', source: 'static' };
const listCalls = (backend: FakeBackend) => backend.calls.filter((c) => c.startsWith('list'));

test('the picker lists every configured region, offers only what the command accepts, and shows a failing region as a hint', async () => {
  const running = instance({ InstanceId: 'i-00000001' }, { profile: 'dev', region: 'eu-west-1' });
  const stopped = instance({ InstanceId: 'i-00000002', State: { Name: 'stopped' } }, { profile: 'dev', region: 'eu-west-1' });
  const backend = new FakeBackend([dev], { 'dev/eu-west-1': { pages: [[running, stopped]] }, 'dev/us-east-2': { error: awsError('ThrottlingException', 'Rate exceeded') } });
  const { services, ui } = fakeServices({ settings: { regions: ['eu-west-1', 'us-east-2'] }, backend });
  ui.livePickAnswers.push({ choose: (label) => label.includes('web-1') });
  const chosen = await pickInstance(services, { filter: (i) => i.state === 'running' });
  assert.equal(chosen.instanceId, 'i-00000001');
  assert.deepEqual(listCalls(backend), ['list dev/eu-west-1', 'list dev/us-east-2']);
  const labels = ui.livePicks[0].items.map((i) => i.label);
  assert.equal(labels.length, 2);
  assert.match(labels[1], /us-east-2: could not list instances/);
  assert.match(ui.livePicks[0].items[1].detail ?? '', /AWS is throttling requests/);
  assert.equal(ui.livePicks[0].items[1].acceptable, false);
});

test('after the view has listed, the picker offers the same inventory without listing again, as it is now', async () => {
  const web = instance({ InstanceId: 'i-00000001' }, { profile: 'dev', region: 'eu-west-1' });
  const backend = new FakeBackend([dev], { 'dev/eu-west-1': { pages: [[web]] } });
  const { services, ui } = fakeServices({ backend });
  await services.inventory.ensureLoaded();
  await services.inventory.settled();
  // Stopped meanwhile (from the view, or another command): the picker for Connect no longer offers it.
  services.inventory.updateInstance({ ...web, state: 'stopped' });
  ui.livePickAnswers.push(undefined);
  await assert.rejects(pickInstance(services, { filter: (i) => i.state === 'running' }), (err) => isProductError(err, 'cancelled'));
  assert.deepEqual(listCalls(backend), ['list dev/eu-west-1'], 'listed once, by the first reader');
  assert.match(ui.livePicks[0].items[0].label, /No instances/);
});

test('a pasted id not in the list is looked up in every configured region', async () => {
  const regions: Record<string, FakeRegion> = {};
  const backend = new FakeBackend([dev], regions);
  const { services, ui } = fakeServices({ settings: { regions: ['eu-west-1', 'us-east-2'] }, backend });
  await services.inventory.ensureLoaded();
  await services.inventory.settled();
  // Launched after the listing: not in the list, but EC2 knows it.
  regions['dev/us-east-2'] = { pages: [[instance({ InstanceId: 'i-0fedcba9876543210' }, { profile: 'dev', region: 'us-east-2' })]] };
  ui.livePickAnswers.push({ type: 'i-0fedcba9876543210' });
  const found = await pickInstance(services);
  assert.equal(found.instanceId, 'i-0fedcba9876543210');
  assert.equal(found.region, 'us-east-2');
  assert.deepEqual(backend.calls.filter((c) => c.startsWith('describe')).sort(), ['describe dev/eu-west-1 i-0fedcba9876543210', 'describe dev/us-east-2 i-0fedcba9876543210']);

  ui.livePickAnswers.push({ type: 'i-0aaaaaaaaaaaaaaaa' });
  await assert.rejects(pickInstance(services), (err) => isProductError(err, 'instanceNotFound') && /eu-west-1, us-east-2/.test(err.message));
});

test('a malformed pasted id is not accepted; dismissing the pick cancels quietly', async () => {
  const backend = new FakeBackend([dev], {});
  const { services, ui } = fakeServices({ backend });
  ui.livePickAnswers.push({ type: 'i-123' });
  await assert.rejects(pickInstance(services), (err) => isProductError(err, 'cancelled'));
  assert.equal(ui.livePicks[0].typed?.acceptable, false);
  assert.deepEqual(backend.calls.filter((c) => c.startsWith('describe')), []);
});

test('a profile without a region asks for one before listing', async () => {
  const backend = new FakeBackend([bare], {});
  const { services, ui } = fakeServices({ backend });
  ui.pickAnswers.push(() => 'ap-southeast-2');
  ui.livePickAnswers.push(undefined);
  await assert.rejects(pickInstance(services), (err) => isProductError(err, 'cancelled'));
  assert.match(ui.picks[0].title ?? '', /No region is set for profile "bare"/);
  assert.deepEqual(listCalls(backend), ['list bare/ap-southeast-2']);
});

test('a command run on a tree row uses that row\'s instance without asking', async () => {
  const row = { kind: 'instance' as const, instance: instance() };
  const { services, ui } = fakeServices();
  assert.equal(await instanceArgument(services, row), row.instance);
  assert.equal(ui.livePicks.length, 0);
});
