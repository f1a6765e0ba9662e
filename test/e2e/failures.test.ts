import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';

import { useEditorSession } from './fixture';

/** What must not reach a screen from AWS text: control characters (C0, DEL, C1) and bidi overrides and isolates. */
const unsafe = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

describe('failures a user meets in a real editor', { timeout: 300_000 }, () => {
  const session = useEditorSession('failures');

  test('an AuthException from EC2 Instance Connect shows what is missing, with its actions', async () => {
    const { workbench, sandbox } = session();
    const instance = sandbox.manifest.instances.find((i) => i.state === 'running' && i.osUser === 'ec2-user' && !i.platform)!;
    await sandbox.injectFault({ operation: 'SendSSHPublicKey', instanceId: instance.instanceId, error: 'AuthException' });
    await workbench.contextMenu(instance.name, 'Connect…');
    const { message, buttons } = await workbench.notification(/AWS denied ec2-instance-connect:SendSSHPublicKey/);
    assert.match(message, new RegExp(instance.instanceId));
    assert.match(message, new RegExp(instance.region));
    assert.match(message, /ec2-instance-connect:SendSSHPublicKey/);
    assert.deepEqual(buttons.filter((b) => ['Show Required Policy', 'Switch Profile', 'Show Log'].includes(b)).sort(), [
      'Show Log',
      'Show Required Policy',
      'Switch Profile',
    ]);
    await session().screenshot('6-auth-exception');

    // The policy opens as JSON in an editor.
    await workbench.clickNotificationButton(/AWS denied ec2-instance-connect:SendSSHPublicKey/, 'Show Required Policy');
    const editorText = await workbench.page.locator('.monaco-editor .view-lines').first().innerText();
    assert.match(editorText, /ec2-instance-connect:SendSSHPublicKey/);
    assert.match(editorText, new RegExp(instance.instanceId));
  });

  test('Open in Remote-SSH without a Remote-SSH extension offers to get one', async () => {
    const { workbench, sandbox } = session();
    const instance = sandbox.manifest.instances.find((i) => i.state === 'running' && !i.platform)!;
    await workbench.contextMenu(instance.name, 'Open in Remote-SSH…');
    const { message, buttons } = await workbench.notification(/Remote - SSH extension/);
    // code-server cannot run Microsoft's extension; the open-source one is what it can install.
    const id = 'jeanp413.open-remote-ssh';
    assert.match(message, new RegExp(`needs the Remote - SSH extension \\(${id.replace(/\./g, '\\.')}\\), which is not installed`));
    assert.deepEqual(buttons, ['Show Extension']);
    await session().screenshot('7-remote-ssh-missing');

    // The offer leads to the extension: its page, or (the gallery out of reach, as here) the Extensions
    // view searching for exactly it.
    await workbench.clickNotificationButton(/Remote - SSH extension/, 'Show Extension');
    const shown = await workbench.waitForExtensionShown(id);
    if (shown === 'search') assert.equal(await workbench.extensionsSearchText(), `@id:${id}`);
    await session().screenshot('7b-remote-ssh-show-extension');
  });

  test('a Name tag full of escape sequences, controls and bidi overrides reaches no surface as such: row, tooltip, terminal, notification', async () => {
    const { workbench, sandbox } = session();
    const web = sandbox.manifest.instances.find((i) => i.name === 'web-prod-1')!;
    const client = new EC2Client({ region: web.region, endpoint: sandbox.manifest.endpoint, credentials: sandbox.manifest.credentials });
    // Sets the window title (OSC 0), clears the screen (CSI 2J), a C1 CSI, a fake second line, a bidi override, a backspace.
    const hostile = 'evil\u001b]0;pwned\u0007\u001b[2J\u009b31m-web\r\nfake line\u202e\u0008x';
    const shown = 'evil-web fake linex';
    await client.send(new CreateTagsCommand({ Resources: [web.instanceId], Tags: [{ Key: 'Name', Value: hostile }] }));
    try {
      await workbench.viewAction('Refresh');
      await workbench.row(shown);
      const tooltip = await workbench.rowTooltip(shown);
      assert.match(tooltip, new RegExp(`^${shown}\\n${web.instanceId}`));
      // Line feeds separate the tooltip's own lines; nothing else of C0, DEL, C1 or the bidi controls.
      assert.doesNotMatch(tooltip.replace(/\n/g, ''), unsafe);

      // Connect: the terminal is named plainly, and nothing from the tag set the title or cleared the screen.
      await workbench.contextMenu(shown, 'Connect…');
      await workbench.waitForTerminalText(/\$ $|\$\s*$/m);
      const tabs = await workbench.terminalTabs();
      assert.ok(tabs.some((tab) => tab.includes(shown)), `terminal tabs: ${tabs.join(', ')}`);
      assert.ok(!tabs.some((tab) => tab.includes('pwned')), `terminal tabs: ${tabs.join(', ')}`);
      assert.doesNotMatch(await workbench.page.title(), /pwned/);
      assert.match(await workbench.terminalText(), new RegExp(`(Connecting to|Opening a shell on) ec2-user@[0-9.]+ \\(${web.instanceId}\\)`));

      // A notification that names it.
      await sandbox.injectFault({ operation: 'SendSSHPublicKey', instanceId: web.instanceId, error: 'AuthException' });
      await workbench.runCommand('Terminal: Kill All Terminals');
      // Terminals share the instance's SSH connection, which outlives the last one for a linger: cut it, so that
      // Connect opens a new one and pushes a key again (and meets the fault).
      await sandbox.injectFault({ dropSsh: web.instanceId });
      await workbench.contextMenu(shown, 'Connect…');
      const { message } = await workbench.notification(/AWS denied ec2-instance-connect:SendSSHPublicKey/);
      assert.ok(message.includes(`${shown} (${web.instanceId})`), message);
      assert.doesNotMatch(message, unsafe);
      assert.doesNotMatch(message, /pwned/);
      await session().screenshot('8-hostile-name');
    } finally {
      await client.send(new CreateTagsCommand({ Resources: [web.instanceId], Tags: [{ Key: 'Name', Value: 'web-prod-1' }] }));
      client.destroy();
    }
  });
});

