import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useEditorSession } from './fixture';

// A real TLS WebSocket per endpoint (the sandbox's CA trusted through NODE_EXTRA_CA_CERTS, as a proxy's would be).
describe('private instances through an EC2 Instance Connect Endpoint, in a real editor', { timeout: 300_000 }, () => {
  const session = useEditorSession('endpoint', { sandbox: { endpointCreateSeconds: 2 } });

  test("a private instance's row says it is reached through its endpoint; Connect opens a shell on it", async () => {
    const { workbench, sandbox } = session();
    const internal = sandbox.manifest.instances.find((i) => i.name === 'db-internal')!;
    const endpoint = sandbox.manifest.instanceConnectEndpoints.find((e) => e.vpcId === internal.vpcId)!;
    assert.equal(internal.publicIp, null, 'the sandbox gives it no public address');
    await workbench.waitForRowDescription(internal.name, /via endpoint/);
    const tooltip = await workbench.rowTooltip(internal.name);
    assert.match(tooltip, new RegExp(`Reached through EC2 Instance Connect Endpoint ${endpoint.instanceConnectEndpointId} \\(${endpoint.subnetId}\\)`));

    await workbench.contextMenu(internal.name, 'Connect…');
    const connecting = await workbench.waitForTerminalText(new RegExp(`through EC2 Instance Connect Endpoint ${endpoint.instanceConnectEndpointId}`));
    assert.match(connecting, new RegExp(`Connecting to ${internal.osUser}@${internal.privateIp.replace(/\./g, '\\.')}`));
    await workbench.waitForTerminalText(/\$ $|\$\s*$|#\s*$/m);
    await workbench.typeInTerminal('whoami\n');
    await workbench.waitForTerminalText(new RegExp(`^${internal.osUser}\\s*$`, 'm'));
    await session().screenshot('endpoint-1-connect');
    // One terminal at a time: the next test types into its own.
    await workbench.runCommand('Terminal: Kill All Terminals');
  });

  test('a private instance in a VPC without an endpoint shows no way in; Create Instance Connect Endpoint…, then Connect', async () => {
    const { workbench, sandbox } = session();
    const isolated = sandbox.manifest.instances.find((i) => i.name === 'isolated-worker')!;
    assert.ok(!sandbox.manifest.instanceConnectEndpoints.some((e) => e.vpcId === isolated.vpcId));
    await workbench.waitForRowDescription(isolated.name, /no way in/);
    assert.match(await workbench.rowTooltip(isolated.name), new RegExp(`no Instance Connect Endpoint in ${isolated.vpcId}`));

    // Connect says why before any terminal opens, and offers the fix.
    await workbench.contextMenu(isolated.name, 'Connect…');
    const { message, buttons } = await workbench.notification(/no EC2 Instance Connect Endpoint in/);
    assert.match(message, new RegExp(isolated.vpcId));
    assert.ok(buttons.includes('Create Instance Connect Endpoint…'), `buttons: ${buttons.join(', ')}`);
    assert.ok(buttons.includes('Learn More'), `buttons: ${buttons.join(', ')}`);
    await session().screenshot('endpoint-2-no-way-in');

    await workbench.clickNotificationButton(/no EC2 Instance Connect Endpoint in/, 'Create Instance Connect Endpoint…');
    const dialog = await workbench.dialog();
    assert.match(dialog.message, new RegExp(`Create an EC2 Instance Connect Endpoint in ${isolated.vpcId}`));
    await session().screenshot('endpoint-3-create-modal');
    await workbench.clickDialogButton('Create');

    // Once create-complete, Connect goes on by itself in a terminal, through the new endpoint.
    await workbench.waitForTerminalText(/through EC2 Instance Connect Endpoint eice-/, 90_000);
    await workbench.waitForTerminalText(/\$ $|\$\s*$|#\s*$/m);
    await workbench.typeInTerminal('whoami\n');
    await workbench.waitForTerminalText(new RegExp(`^${isolated.osUser}\\s*$`, 'm'));
    const created = sandbox.manifest.instanceConnectEndpoints.find((e) => e.vpcId === isolated.vpcId);
    assert.ok(created, 'the sandbox has the new endpoint');
    await workbench.waitForRowDescription(isolated.name, /via endpoint/, 60_000);
    await session().screenshot('endpoint-4-created-and-connected');
  });
});
