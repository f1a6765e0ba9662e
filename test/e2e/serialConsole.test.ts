import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useEditorSession } from './fixture';

describe('the serial console in a real editor', { timeout: 300_000 }, () => {
  const session = useEditorSession('serial-console');

  test('right-click → Connect to Serial Console…: the greeting, then Enter shows the login prompt', async () => {
    const { workbench, sandbox } = session();
    const instance = sandbox.manifest.instances.find((i) => i.serial && i.state === 'running' && i.region === sandbox.manifest.regions[0])!;
    await workbench.contextMenu(instance.name, 'Connect to Serial Console…');
    const greeting = await workbench.waitForTerminalText(/close this terminal/);
    assert.match(greeting, new RegExp(`Connected to the serial console of ${instance.name}`));
    assert.doesNotMatch(greeting, /login:/);
    await workbench.typeInTerminal('\n');
    await workbench.waitForTerminalText(/login:\s*$/m);
    const tabs = await workbench.terminalTabs();
    assert.ok(tabs.some((tab) => tab.includes(`${instance.name} (serial console)`)), `terminal tabs: ${tabs.join(', ')}`);
    await session().screenshot('4-serial-console');
  });

  test('serial console access turned off: the notification offers Enable for This Account…, which asks, enables and connects', async () => {
    const { workbench, sandbox } = session();
    const instance = sandbox.manifest.instances.find((i) => i.serial && i.state === 'running' && i.region === sandbox.manifest.regions[1])!;
    sandbox.setSerialConsoleAccess(false);
    await workbench.contextMenu(instance.name, 'Connect to Serial Console…');
    const { message, buttons } = await workbench.notification(/serial console is turned off/);
    assert.match(message, new RegExp(`${instance.instanceId}\\) in ${instance.region}`));
    assert.deepEqual(buttons.filter((b) => b !== 'Show Log'), ['Enable for This Account…', 'Learn More']);
    await session().screenshot('5-serial-console-disabled');
    await workbench.clickNotificationButton(/serial console is turned off/, 'Enable for This Account…');
    const dialog = await workbench.dialog();
    assert.match(dialog.message, new RegExp(`^Enable the EC2 serial console for the AWS account of profile "sandbox" in ${instance.region}\\?`));
    await workbench.clickDialogButton('Enable');
    await workbench.waitForTerminalText(new RegExp(`Connected to the serial console of ${instance.name}`));
  });
});
