import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { describeNode } from '../../src/editor/tree/nodes';
import { instance } from '../fakes/sdkInstances';

const view = (overrides: Parameters<typeof instance>[0] = {}) => describeNode({ kind: 'instance', instance: instance(overrides) });

test('a named instance: Name tag as label; id, type and state as description; a colored state icon', () => {
  const row = view();
  assert.equal(row.label, 'web-1');
  assert.equal(row.description, 'i-0123456789abcdef0 · t3.micro · running');
  assert.deepEqual(row.icon, { id: 'vm-running', color: 'charts.green' });
  assert.equal(row.collapsible, 'none');
  assert.equal(row.id, 'instance:/us-east-1/i-0123456789abcdef0');
});

test('an instance without a Name tag shows its id as label, not twice', () => {
  const row = view({ Tags: [] });
  assert.equal(row.label, 'i-0123456789abcdef0');
  assert.equal(row.description, 't3.micro · running');
});

test('contextValue carries state, platform, serial capability and whether there is an address to copy', () => {
  assert.equal(view().contextValue, 'instance-running-linux-serial-ip');
  assert.equal(view({ InstanceType: 't2.micro' }).contextValue, 'instance-running-linux-ip');
  assert.equal(
    view({ State: { Name: 'stopped' }, PublicIpAddress: undefined, PrivateIpAddress: undefined, Platform: 'Windows' }).contextValue,
    'instance-stopped-windows-serial',
  );
  assert.equal(view({ State: { Name: 'pending' } }).contextValue, 'instance-pending-linux-serial-ip');
});

test('the menus in package.json match the contextValues: Connect only on running Linux, Start only on stopped', () => {
  const menus = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when: string }[]> } })
    .contributes.menus['view/item/context'];
  const offered = (contextValue: string) =>
    new Set(
      menus
        .filter((m) => {
          const eq = /viewItem == ([\w-]+)/.exec(m.when);
          const re = /viewItem =~ \/(.+)\//.exec(m.when);
          return eq ? eq[1] === contextValue : re ? new RegExp(re[1]).test(contextValue) : false;
        })
        .map((m) => m.command.replace('ec2InstanceConnect.', '')),
    );
  const running = offered(view().contextValue);
  for (const command of ['connect', 'connectSerialConsole', 'openInRemoteSSH', 'stopInstance', 'rebootInstance', 'copyInstanceId', 'copyIpAddress']) {
    assert.ok(running.has(command), `running Linux offers ${command}`);
  }
  assert.ok(!running.has('startInstance'));
  const stopped = offered(view({ State: { Name: 'stopped' }, PublicIpAddress: undefined, PrivateIpAddress: undefined }).contextValue);
  assert.ok(stopped.has('startInstance') && stopped.has('copyInstanceId'));
  assert.ok(!stopped.has('connect') && !stopped.has('stopInstance') && !stopped.has('copyIpAddress'));
  const windows = offered(view({ Platform: 'Windows' }).contextValue);
  assert.ok(!windows.has('connect') && !windows.has('connectSerialConsole') && !windows.has('openInRemoteSSH') && windows.has('stopInstance'));
  const xen = offered(view({ InstanceType: 't2.micro' }).contextValue);
  assert.ok(xen.has('connect') && !xen.has('connectSerialConsole'));
  assert.ok(offered('regionError').has('retryRegion'));
  assert.ok(offered('profileError-signIn').has('signIn'));
  assert.ok(offered('profileError-credentials').has('openAwsConfig'));
  assert.ok(offered('profileError-noRegion').has('chooseRegions'));
});

test('the tooltip is plain text with every fact, and hostile tag text stays inert text on one line', () => {
  const hostile = '[x](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)';
  const row = view({
    Tags: [
      { Key: 'Name', Value: `evil ${hostile}` },
      { Key: 'owner\n<img src=x onerror=alert(1)>', Value: 'line1\r\nline2 **bold** $(zap)' },
    ],
    Ipv6Address: '2001:db8::10',
  });
  assert.equal(typeof row.tooltip, 'string');
  const tooltip = row.tooltip ?? '';
  for (const fact of ['i-0123456789abcdef0', 't3.micro', 'us-east-1a', '203.0.113.10', '10.0.1.10', '2001:db8::10', 'Linux/UNIX', '2024-11-21T10:00:00.000Z', 'ami-0abcdef1234567890']) {
    assert.ok(tooltip.includes(fact), `tooltip shows ${fact}`);
  }
  // The text is there verbatim (plain text shows it as typed) but cannot break out of its line.
  assert.ok(tooltip.includes(`  Name = evil ${hostile}`));
  assert.ok(tooltip.includes('  owner <img src=x onerror=alert(1)> = line1 line2 **bold** $(zap)'));
  assert.equal(tooltip.split('\n').filter((l) => l.includes('line2')).length, 1);
  assert.equal(row.label, `evil ${hostile}`);
});

test('region, error and message rows: counts, reasons with Retry, fixes for profiles', () => {
  const profile = { name: 'dev', label: 'dev', source: 'static' as const };
  const region = describeNode({ kind: 'region', profile, region: 'eu-west-1', status: 'loading', total: 0, expanded: true });
  assert.equal(region.description, 'loading…');
  assert.equal(describeNode({ kind: 'region', profile, region: 'eu-west-1', status: 'loaded', total: 12, matching: 3, expanded: false }).description, '3 of 12 instances');
  const failed = describeNode({ kind: 'regionError', profile, region: 'eu-west-1', message: 'AWS is throttling requests.' });
  assert.equal(failed.contextValue, 'regionError');
  assert.equal(failed.command?.id, 'ec2InstanceConnect.retryRegion');
  assert.match(failed.description ?? '', /throttling/);
  const signIn = describeNode({ kind: 'profileError', profile, problem: 'signIn', message: 'The sign-in session expired.' });
  assert.equal(signIn.contextValue, 'profileError-signIn');
  assert.equal(signIn.command?.id, 'ec2InstanceConnect.signIn');
});
