// The inventory and the tree against the sandbox: real SDK clients over the EC2 Query protocol, the real models.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';

import { type Sandbox, startSandbox } from '../../sandbox';
import { AwsClients } from '../../src/core/aws/clients';
import { toEc2Instance } from '../../src/core/aws/instances';
import type { Ec2Instance } from '../../src/core/aws/model';
import { silentLogger } from '../../src/core/base/log';
import { defaultSettings, type Settings } from '../../src/core/base/settings';
import { createInventoryBackend } from '../../src/core/inventory/backend';
import { Inventory } from '../../src/core/inventory/inventory';
import { listEverywhere } from '../../src/core/inventory/listing';
import { planTargets } from '../../src/core/inventory/plan';
import { InstancesTreeModel } from '../../src/editor/tree/instancesTreeModel';
import { describeNode, type ExplorerNode } from '../../src/editor/tree/nodes';

let sandbox: Sandbox;
let big: Sandbox;
const saved = { ...process.env };

before(async () => {
  [sandbox, big] = await Promise.all([
    startSandbox({ ssh: false, regions: ['us-east-1', 'eu-west-1'], transitionSeconds: 1 }),
    startSandbox({ ssh: false, regions: ['us-west-2'], instances: 2600 }),
  ]);
});

after(async () => {
  process.env = saved;
  await Promise.all([sandbox?.stop(), big?.stop()]);
});

/** The environment a user pointing the extension at this sandbox would have: env credentials, no config files. */
function useSandbox(box: Sandbox, extra: Record<string, string> = {}): void {
  process.env = { ...saved, ...box.env, AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', ...extra };
  delete process.env.AWS_PROFILE;
}

function explorer(box: Sandbox, overrides: Partial<Settings>) {
  const clients = new AwsClients({ endpoint: box.manifest.endpoint, maxAttempts: 1 });
  const settings = { ...defaultSettings, ...overrides };
  const inventory = new Inventory({
    backend: () => createInventoryBackend(clients, process.env),
    plan: async (backend) => planTargets(await backend.loadProfiles(), settings, backend.env),
    log: silentLogger,
  });
  return { clients, inventory, model: new InstancesTreeModel(inventory, () => settings) };
}

async function rows(model: InstancesTreeModel, node?: ExplorerNode): Promise<ExplorerNode[]> {
  return model.children(node);
}

test('two regions are listed side by side, each with its own instances', async () => {
  useSandbox(sandbox);
  const { model, inventory } = explorer(sandbox, { regions: ['us-east-1', 'eu-west-1'] });
  await model.children();
  await inventory.settled();
  const regions = await rows(model);
  assert.deepEqual(regions.map((n) => describeNode(n).label), ['us-east-1', 'eu-west-1']);
  for (const region of regions) {
    const expected = sandbox.manifest.instances.filter((i) => i.region === describeNode(region).label);
    const listed = (await rows(model, region)).filter((n) => n.kind === 'instance');
    assert.equal(listed.length, expected.length);
    assert.deepEqual(
      listed.map((n) => (n.kind === 'instance' ? n.instance.instanceId : '')).sort(),
      expected.map((i) => i.instanceId).sort(),
    );
    assert.match(describeNode(region).description ?? '', new RegExp(`^${expected.length} instances?$`));
  }
  const web = inventory.instances().find((i) => i.name === 'web-prod-1');
  assert.equal(web?.state, 'running');
  assert.match(web ? describeNode({ kind: 'instance', instance: web }).contextValue : '', /^instance-running-linux/);
});

test('a failing region shows its reason beside the working one, and Retry lists it once it recovers', async () => {
  useSandbox(sandbox);
  await sandbox.injectFault({ region: 'eu-west-1', error: 'Unavailable' });
  try {
    const { model, inventory } = explorer(sandbox, { regions: ['us-east-1', 'eu-west-1'] });
    await model.children();
    await inventory.settled();
    const [east, west] = await rows(model);
    assert.equal(east.kind, 'region');
    assert.ok((await rows(model, east)).some((n) => n.kind === 'instance'));
    assert.equal(west.kind, 'regionError');
    assert.equal(describeNode(west).contextValue, 'regionError');
    assert.match(describeNode(west).description ?? '', /internal error|try again/i);

    await sandbox.clearFaults();
    await inventory.retryRegion(undefined, 'eu-west-1');
    const [, recovered] = await rows(model);
    assert.equal(recovered.kind, 'region');
    assert.ok((await rows(model, recovered)).some((n) => n.kind === 'instance'));
  } finally {
    await sandbox.clearFaults();
  }
});

test('an opt-in region the account has not enabled is skipped with a note, not shown as an error', async () => {
  useSandbox(sandbox);
  const { model, inventory } = explorer(sandbox, { regions: ['us-east-1', 'af-south-1'] });
  await model.children();
  await inventory.settled();
  const [, skipped] = await rows(model);
  assert.equal(skipped.kind, 'message');
  assert.equal(describeNode(skipped).description, 'skipped: opt-in region not enabled for this account');
});

test('keys AWS does not accept show once, at the profile, with the fix', async () => {
  useSandbox(sandbox, { AWS_SECRET_ACCESS_KEY: 'not-the-secret-of-this-key-000000000000' });
  const { model, inventory } = explorer(sandbox, { regions: ['us-east-1', 'eu-west-1'] });
  await model.children();
  await inventory.settled();
  const top = await rows(model);
  assert.equal(top.length, 1);
  assert.equal(describeNode(top[0]).contextValue, 'profileError-credentials');
  assert.match(describeNode(top[0]).tooltip ?? '', /secret access key does not match/);
});

test('more than 1000 instances in a region: every page is listed (MaxResults 1000) and streamed', async () => {
  useSandbox(big);
  const clients = new AwsClients({ endpoint: big.manifest.endpoint, maxAttempts: 1 });
  const pages: number[] = [];
  await listEverywhere(clients, [{ region: 'us-west-2' }], {
    onPage: (_target, instances) => pages.push(instances.length),
    onDone: (_target, error) => assert.equal(error, undefined),
  });
  const total = big.manifest.instances.length + 2600;
  assert.equal(pages.reduce((a, b) => a + b, 0), total);
  assert.ok(pages.length >= 3 && pages.every((n) => n <= 1000), `pages: ${pages.join(', ')}`);

  const { model, inventory } = explorer(big, {});
  await model.children();
  await inventory.settled();
  const listed = (await rows(model)).filter((n) => n.kind === 'instance');
  assert.equal(listed.length, total);
  assert.equal(new Set(inventory.instances().map((i) => i.instanceId)).size, total);

  // The lean page reader and the SDK's own parser agree on every instance of the account.
  const sdk: Ec2Instance[] = [];
  const client = clients.ec2Client({ region: 'us-west-2' });
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeInstancesCommand({ MaxResults: 1000, NextToken: token }));
    sdk.push(...(page.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => toEc2Instance(i, { region: 'us-west-2' })));
    token = page.NextToken;
  } while (token);
  const byId = (list: Ec2Instance[]) => [...list].sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  assert.deepEqual(byId(inventory.instances()), byId(sdk));
});

test('start → running: Start waits with the EC2 waiter, updates the row, then offers Connect', async () => {
  useSandbox(sandbox);
  const { fakeServices } = await import('../fakes/fakeServices');
  const core = await import('../../src/core/core');
  const { startInstance } = await import('../../src/editor/commands/startInstance');
  const clients = new AwsClients({ endpoint: sandbox.manifest.endpoint, maxAttempts: 1 });
  const stopped = sandbox.manifest.instances.find((i) => i.state === 'stopped' && !i.platform);
  assert.ok(stopped, 'the sandbox has a stopped Linux instance');
  const instance = await core.describeInstance(clients.ec2Client({ region: stopped.region }), { region: stopped.region }, stopped.instanceId);
  assert.equal(instance?.state, 'stopped');

  const { services, ui } = fakeServices({ core, aws: clients, backend: createInventoryBackend(clients, process.env), settings: { regions: [stopped.region] } });
  await services.inventory.ensureLoaded();
  await services.inventory.settled();
  const states: string[] = [];
  services.inventory.onDidChange(() => states.push(services.inventory.instances().find((i) => i.instanceId === stopped.instanceId)?.state ?? 'gone'));
  ui.messageAnswers.push('Connect');
  await startInstance.run(services, { kind: 'instance', instance });

  // What the tree, the picker and every command read: pending at once, then running.
  assert.deepEqual(states, ['pending', 'running']);
  assert.match(ui.messages[0].message, /is running\.$/);
  assert.deepEqual(ui.messages[0].actions, ['Connect']);
  assert.equal(ui.executed[0].command, 'ec2InstanceConnect.connect');
  assert.equal((ui.executed[0].args[0] as Ec2Instance).instanceId, stopped.instanceId);
  assert.equal((ui.executed[0].args[0] as Ec2Instance).state, 'running');
  const now = await core.describeInstance(clients.ec2Client({ region: stopped.region }), { region: stopped.region }, stopped.instanceId);
  assert.equal(now?.state, 'running');
});
