import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useEditorSession } from './fixture';

describe('Connect in a real editor', { timeout: 300_000 }, () => {
  const session = useEditorSession('connect');

  test('right-click a running instance → Connect opens a shell where whoami prints its user', async () => {
    const { workbench, sandbox } = session();
    const instance = sandbox.manifest.instances.find((i) => i.state === 'running' && i.osUser === 'ec2-user' && !i.platform)!;
    await workbench.contextMenu(instance.name, 'Connect…');
    await workbench.waitForTerminalText(/\$ $|\$\s*$/m);
    await workbench.typeInTerminal('whoami\n');
    const text = await workbench.waitForTerminalText(new RegExp(`^${instance.osUser}\\s*$`, 'm'));
    assert.match(text, /(Connecting to|Opening a shell on) ec2-user@/);
    const tabs = await workbench.terminalTabs();
    assert.ok(tabs.some((tab) => tab.includes(instance.name)), `terminal tabs: ${tabs.join(', ')}`);
    await session().screenshot('2-connect');
  });

  test('the command palette → EC2: Connect… → pick an instance → a shell', async () => {
    const { workbench, sandbox } = session();
    const instance = sandbox.manifest.instances.find((i) => i.state === 'running' && i.osUser === 'ubuntu')!;
    await workbench.runCommand('EC2: Connect…');
    await workbench.quickInput(instance.name, false);
    await workbench.pickQuickItem(instance.name);
    await workbench.waitForTerminalText(new RegExp(`ubuntu@`));
    await workbench.typeInTerminal('whoami\n');
    await workbench.waitForTerminalText(/^ubuntu\s*$/m);
    await session().screenshot('3-palette-connect');
  });
});
