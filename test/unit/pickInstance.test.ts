import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ListEverywhereOptions } from '../../src/core/inventory/listing';
import type { AwsTarget, Ec2Instance } from '../../src/core/aws/model';
import type { AwsProfile } from '../../src/core/aws/profiles';
import { instanceIdProblem, instancePickItem, typedInstanceItem } from '../../src/editor/pickers/instancePickItems';
import { instanceArgument, pickInstance } from '../../src/editor/pickers/pickInstance';
import { isProductError } from '../../src/core/errors/productError';
import { awsError } from '../fakes/fakeBackend';
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

function fakeCore(profiles: AwsProfile[], byRegion: Record<string, Ec2Instance[] | Error>) {
  const listed: string[] = [];
  const described: string[] = [];
  const core = {
    loadProfiles: async () => profiles,
    listEverywhere: async (_clients: unknown, targets: readonly AwsTarget[], options: ListEverywhereOptions) => {
      for (const target of targets) {
        listed.push(`${target.profile}/${target.region}`);
        const answer = byRegion[target.region] ?? [];
        if (answer instanceof Error) await options.onDone(target, answer);
        else {
          options.onPage(target, answer);
          await options.onDone(target);
        }
      }
    },
    describeInstance: async (_client: unknown, target: AwsTarget, id: string) => {
      described.push(`${target.region} ${id}`);
      return target.region === 'us-east-2' && id === 'i-0fedcba9876543210' ? instance({ InstanceId: id }, target) : undefined;
    },
  };
  const aws = { ec2Client: () => ({}) };
  return { core, aws, listed, described };
}

test('the picker lists every configured region, offers only what the command accepts, and shows a failing region as a hint', async () => {
  const running = instance({ InstanceId: 'i-00000001' }, { profile: 'dev', region: 'eu-west-1' });
  const stopped = instance({ InstanceId: 'i-00000002', State: { Name: 'stopped' } }, { profile: 'dev', region: 'eu-west-1' });
  const fake = fakeCore([dev], { 'eu-west-1': [running, stopped], 'us-east-2': awsError('ThrottlingException', 'Rate exceeded') });
  const { services, ui } = fakeServices({ settings: { regions: ['eu-west-1', 'us-east-2'] }, core: fake.core as never, aws: fake.aws });
  ui.livePickAnswers.push({ choose: (label) => label.includes('web-1') });
  const chosen = await pickInstance(services, { filter: (i) => i.state === 'running' });
  assert.equal(chosen.instanceId, 'i-00000001');
  assert.deepEqual(fake.listed, ['dev/eu-west-1', 'dev/us-east-2']);
  const labels = ui.livePicks[0].items.map((i) => i.label);
  assert.equal(labels.length, 2);
  assert.match(labels[1], /us-east-2: could not list instances/);
  assert.equal(ui.livePicks[0].items[1].acceptable, false);
});

test('a pasted id not in the list is looked up in every configured region', async () => {
  const fake = fakeCore([dev], {});
  const { services, ui } = fakeServices({ settings: { regions: ['eu-west-1', 'us-east-2'] }, core: fake.core as never, aws: fake.aws });
  ui.livePickAnswers.push({ type: 'i-0fedcba9876543210' });
  const found = await pickInstance(services);
  assert.equal(found.instanceId, 'i-0fedcba9876543210');
  assert.equal(found.region, 'us-east-2');
  assert.deepEqual(fake.described.sort(), ['eu-west-1 i-0fedcba9876543210', 'us-east-2 i-0fedcba9876543210']);

  ui.livePickAnswers.push({ type: 'i-0aaaaaaaaaaaaaaaa' });
  await assert.rejects(pickInstance(services), (err) => isProductError(err, 'instanceNotFound') && /eu-west-1, us-east-2/.test(err.message));
});

test('a malformed pasted id is not accepted; dismissing the pick cancels quietly', async () => {
  const fake = fakeCore([dev], {});
  const { services, ui } = fakeServices({ core: fake.core as never, aws: fake.aws });
  ui.livePickAnswers.push({ type: 'i-123' });
  await assert.rejects(pickInstance(services), (err) => isProductError(err, 'cancelled'));
  assert.equal(ui.livePicks[0].typed?.acceptable, false);
  assert.deepEqual(fake.described, []);
});

test('a profile without a region asks for one before listing', async () => {
  const fake = fakeCore([bare], {});
  const { services, ui } = fakeServices({ core: fake.core as never, aws: fake.aws });
  ui.pickAnswers.push(() => 'ap-southeast-2');
  ui.livePickAnswers.push(undefined);
  await assert.rejects(pickInstance(services), (err) => isProductError(err, 'cancelled'));
  assert.match(ui.picks[0].title ?? '', /No region is set for profile "bare"/);
  assert.deepEqual(fake.listed, ['bare/ap-southeast-2']);
});

test('a command run on a tree row uses that row\'s instance without asking', async () => {
  const row = { kind: 'instance' as const, instance: instance() };
  const { services, ui } = fakeServices();
  assert.equal(await instanceArgument(services, row), row.instance);
  assert.equal(ui.livePicks.length, 0);
});
