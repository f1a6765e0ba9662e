import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useEditorSession } from './fixture';

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
});
