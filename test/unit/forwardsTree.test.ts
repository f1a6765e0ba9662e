import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import type { AwsProfile } from '../../src/core/aws/profiles';
import { silentLogger } from '../../src/core/base/log';
import { defaultSettings } from '../../src/core/base/settings';
import { ChangeEmitter, type Forward } from '../../src/core/forward/forward';
import { Inventory } from '../../src/core/inventory/inventory';
import { planTargets } from '../../src/core/inventory/plan';
import { forwardsStatus, forwardTooltip } from '../../src/editor/services/forwardText';
import type { ForwardList } from '../../src/editor/services/services';
import { InstancesTreeModel } from '../../src/editor/tree/instancesTreeModel';
import { describeNode, type ExplorerNode } from '../../src/editor/tree/nodes';
import { forwardContextValue } from '../../src/editor/tree/nodes/forwardNode';
import { FakeBackend } from '../fakes/fakeBackend';
import { FakeForward } from '../fakes/fakeForwards';
import { instance } from '../fakes/sdkInstances';

const dev: AwsProfile = { name: 'dev', label: 'dev', region: 'us-east-1', source: 'static' };
const web = instance({ InstanceId: 'i-00000001', Tags: [{ Key: 'Name', Value: 'web-1' }] }, { profile: 'dev', region: 'us-east-1' });
const db = instance({ InstanceId: 'i-00000002', Tags: [{ Key: 'Name', Value: 'db-1' }] }, { profile: 'dev', region: 'us-east-1' });

/** The forwards a model reads, as services.forwardList gives them. */
class Forwards implements ForwardList {
  forwards: Forward[] = [];
  private readonly changes = new ChangeEmitter();
  list() {
    return this.forwards;
  }
  onDidChange(listener: () => void) {
    return this.changes.on(listener);
  }
  add(forward: FakeForward) {
    this.forwards.push(forward);
    forward.onDidChange(() => {
      if (forward.state === 'stopped') this.forwards = this.forwards.filter((f) => f !== forward);
      this.changes.fire();
    });
    this.changes.fire();
    return forward;
  }
}

async function tree() {
  const backend = new FakeBackend([dev], { 'dev/us-east-1': { pages: [[web, db]] } });
  const inventory = new Inventory({ backend: () => backend, plan: async (b) => planTargets(await b.loadProfiles(), defaultSettings, b.env), log: silentLogger });
  const forwards = new Forwards();
  const model = new InstancesTreeModel(inventory, () => defaultSettings, undefined, forwards);
  const changed: string[] = [];
  model.onDidChange((node) => changed.push(node ? describeNode(node).label : '(all)'));
  await model.children();
  await inventory.settled();
  changed.length = 0;
  return { model, forwards, changed };
}

/** The tree as a user sees it: label — description, children indented, with the row's collapsible state. */
async function render(model: InstancesTreeModel, node?: ExplorerNode, depth = 0): Promise<string[]> {
  const lines: string[] = [];
  for (const child of await model.children(node)) {
    const row = describeNode(child);
    lines.push(`${'  '.repeat(depth)}${row.label}${row.description ? ` — ${row.description}` : ''}`);
    lines.push(...(await render(model, child, depth + 1)));
  }
  return lines;
}

const sshForward = (local: number, remoteHost: string, remotePort: number, host = '127.0.0.1') =>
  new FakeForward('ssh', { instanceId: web.instanceId, region: 'us-east-1', profile: 'dev', name: 'web-1' }, { host, port: local }, { host: remoteHost, port: remotePort });

test('an instance with forwards gets "Forwarded ports" under it, a row each, kept up to date', async () => {
  const { model, forwards, changed } = await tree();
  assert.deepEqual(await render(model), ['db-1 — i-00000002 · t3.micro · running', 'web-1 — i-00000001 · t3.micro · running']);

  const app = forwards.add(sshForward(18080, 'localhost', 8080));
  assert.deepEqual(changed, ['web-1'], 'the instance row is shown again, to get its child');
  const database = forwards.add(sshForward(15432, 'db.internal', 5432, '0.0.0.0'));
  assert.deepEqual(await render(model), [
    'db-1 — i-00000002 · t3.micro · running',
    'web-1 — i-00000001 · t3.micro · running',
    '  Forwarded ports — 2',
    '    localhost:18080 → 8080 — listening',
    '    localhost:15432 → db.internal:5432 — listening',
  ]);
  const webRow = (await model.children()).find((n) => n.kind === 'instance' && n.instance.instanceId === web.instanceId)!;
  assert.equal(describeNode(webRow).collapsible, 'expanded');
  const [group] = await model.children(webRow);
  const rows = await model.children(group);
  assert.deepEqual(rows.map((r) => describeNode(r).contextValue), ['forward-ssh-open', 'forward-ssh-open']);
  assert.equal(describeNode(group).contextValue, 'forwards');

  // State and connections change: only "Forwarded ports" is shown again, the rows keep their identity.
  changed.length = 0;
  app.set({ open: 2 });
  database.set({ state: 'dropped', problem: 'The connection to 203.0.113.10 was lost. It opens again on the next connection.' });
  assert.deepEqual(changed, ['Forwarded ports', 'Forwarded ports']);
  assert.deepEqual((await model.children(group))[0], rows[0]);
  assert.deepEqual((await render(model)).slice(3), ['    localhost:18080 → 8080 — 2 connections', '    localhost:15432 → db.internal:5432 — dropped: reconnects on next use']);

  database.set({ state: 'failed', problem: 'AWS denied ec2-instance-connect:SendSSHPublicKey for web-1.' });
  assert.equal((await render(model))[4], '    localhost:15432 → db.internal:5432 — failed: AWS denied ec2-instance-connect:SendSSHPublicKey for web-1.');

  changed.length = 0;
  await app.stop();
  await database.stop();
  assert.deepEqual(changed, ['web-1', 'web-1']);
  assert.deepEqual(await render(model), ['db-1 — i-00000002 · t3.micro · running', 'web-1 — i-00000001 · t3.micro · running']);
  assert.equal(describeNode(webRow).collapsible, 'none');
});

test("a forward's tooltip is plain text: where it listens (and who can reach it), where it goes, how, its connections and its problem", () => {
  const forward = sshForward(15432, 'db.internal', 5432, '0.0.0.0');
  (forward.instance as { name?: string }).name = 'evil\u001b]0;pwned\u0007-web\r\nfake';
  forward.set({ open: 1, problem: 'web-1 could not connect to db.internal:5432 for the forward: nothing listens there.' });
  assert.equal(
    forwardTooltip(forward),
    [
      'localhost:15432 → db.internal:5432 on evil-web fake (i-00000001) in us-east-1',
      'To db.internal:5432 as the instance reaches it, over its SSH connection',
      'Listening on 0.0.0.0:15432: other computers on your network can reach it',
      '1 connection (1 connection since it started)',
      'web-1 could not connect to db.internal:5432 for the forward: nothing listens there.',
    ].join('\n'),
  );
  const rdp = new FakeForward('endpoint', forward.instance, { host: '127.0.0.1', port: 3389 }, { host: '10.0.1.10', port: 3389 });
  rdp.endpointId = 'eice-0123456789abcdef0';
  assert.match(forwardTooltip(rdp), /^localhost:3389 → 3389 on .*\nTo 10\.0\.1\.10:3389 through EC2 Instance Connect Endpoint eice-0123456789abcdef0, a tunnel per connection\nListening on 127\.0\.0\.1:3389 \(this computer only\)\n/);
});

test('the status bar: hidden with no forwards, else the count and a tooltip that lists them', () => {
  assert.equal(forwardsStatus([]), undefined);
  const app = sshForward(18080, 'localhost', 8080);
  app.set({ open: 1 });
  const status = forwardsStatus([app, sshForward(15432, 'db.internal', 5432)]);
  assert.equal(status?.text, '$(plug) 2 forwarded');
  assert.equal(
    status?.tooltip,
    'Forwarded ports (EC2 Instance Connect)\nlocalhost:18080 → 8080 on web-1 (i-00000001): 1 connection\nlocalhost:15432 → db.internal:5432 on web-1 (i-00000001): listening\n\nClick to stop, open or copy one.',
  );
});

test('the menus in package.json: Forward a Port… on running Linux, Open RDP Tunnel… on running Windows, Open in Browser on SSH forwards only', () => {
  const menus = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when: string }[]> } })
    .contributes.menus['view/item/context'];
  const offered = (contextValue: string) =>
    menus
      .filter((m) => {
        const eq = /viewItem == ([\w-]+)/.exec(m.when);
        const re = /viewItem =~ \/(.+)\//.exec(m.when);
        return eq ? eq[1] === contextValue : re ? new RegExp(re[1]).test(contextValue) : false;
      })
      .map((m) => m.command.replace('ec2InstanceConnect.', ''));
  const rowOf = (overrides: Parameters<typeof instance>[0]) => describeNode({ kind: 'instance', instance: instance(overrides) }).contextValue;
  assert.ok(offered(rowOf({})).includes('forwardPort'));
  assert.ok(!offered(rowOf({})).includes('openRdpTunnel'));
  assert.ok(!offered(rowOf({ State: { Name: 'stopped' } })).includes('forwardPort'));
  const windows = offered(rowOf({ Platform: 'Windows' }));
  assert.ok(windows.includes('openRdpTunnel') && !windows.includes('forwardPort'));
  assert.ok(!offered(rowOf({ Platform: 'Windows', State: { Name: 'stopped' } })).includes('openRdpTunnel'));
  assert.deepEqual(offered('forwards'), ['forwardPort']);
  const ssh = sshForward(18080, 'localhost', 8080);
  assert.deepEqual(new Set(offered(forwardContextValue(ssh))), new Set(['openForwardInBrowser', 'stopForward', 'copyForwardAddress', 'restoreForwardOnStartup']));
  const rdp = new FakeForward('endpoint', ssh.instance, { host: '127.0.0.1', port: 3389 }, { host: '10.0.1.10', port: 3389 });
  assert.deepEqual(new Set(offered(forwardContextValue(rdp))), new Set(['stopForward', 'copyForwardAddress']));
});
