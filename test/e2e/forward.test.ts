import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { after, before, describe, test } from 'node:test';

import type { Page } from 'playwright-core';

import type { Workbench } from '../../harness/workbench';
import { useEditorSession } from './fixture';

/** Listens on 127.0.0.1 on a free port; resolves to the port. */
function listen(server: { listen(port: number, host: string, done: () => void): unknown; address(): unknown }): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** Whether a port of this machine can be listened on now. */
function portIsFree(port: number): Promise<boolean> {
  const probe = createTcpServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Polls the view until a row's label matches. */
async function waitForRowLabel(workbench: Workbench, pattern: RegExp, timeout = 30_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let labels: string[] = [];
  while (Date.now() < deadline) {
    labels = await workbench.rowLabels();
    const found = labels.find((label) => pattern.test(label));
    if (found) return found;
    await workbench.page.waitForTimeout(250);
  }
  throw new Error(`no row matched ${pattern}; the rows are: ${labels.join(', ')}`);
}

async function statusBarText(page: Page): Promise<string> {
  const items = await page.locator('.statusbar-item').allInnerTexts();
  return items.find((text) => /forwarded/.test(text)) ?? '';
}

// The sandbox's instances are real sshd on this machine: "localhost" on web-prod-1 is this test process's machine.
describe('forwarded ports in a real editor', { timeout: 300_000 }, () => {
  const session = useEditorSession('forward');
  const body = `hello through the forward (${process.pid})`;
  let server: Server;
  let port: number;

  before(async () => {
    server = createServer((_request, response) => response.end(body));
    port = await listen(server);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('Forward a Port… on web-prod-1: the tree shows it, its Open in Browser address answers, Stop frees the port', async (t) => {
    const { workbench, sandbox } = session();
    const { page } = workbench;
    const web = sandbox.manifest.instances.find((i) => i.name === 'web-prod-1')!;
    await workbench.contextMenu(web.name, 'Forward a Port…');

    // The remote side, typed as the instance reaches it; then the local port as suggested (this one is taken here: the server).
    await workbench.quickInput(`localhost:${port}`, false);
    await workbench.pickQuickItem(`Forward localhost:${port}`);
    const prompt = page.locator('.quick-input-widget .quick-input-message', { hasText: 'The port on this computer' });
    await prompt.waitFor({ timeout: 30_000 });
    assert.match(await prompt.innerText(), new RegExp(`Port ${port} is not free on this computer`));
    const suggested = Number(await page.locator('.quick-input-widget .quick-input-box input').inputValue());
    await page.keyboard.press('Enter');

    const label = await waitForRowLabel(workbench, new RegExp(`^localhost:\\d+ → ${port}$`));
    const localPort = Number(/^localhost:(\d+)/.exec(label)![1]);
    if (suggested) assert.equal(localPort, suggested);
    assert.ok(localPort !== port);
    await workbench.row('Forwarded ports');
    await workbench.waitForRowDescription(label, /listening|connection/);
    assert.match(
      await workbench.rowTooltip(label),
      new RegExp(`^${label} on web-prod-1 \\(${web.instanceId}\\) in ${web.region}\\nTo localhost:${port} as the instance reaches it, over its SSH connection\\nListening on 127\\.0\\.0\\.1:${localPort} \\(this computer only\\)`),
    );
    assert.match(await statusBarText(page), /1 forwarded/);
    await session().screenshot('forward-1-tree');

    // The forward itself answers, from this machine.
    assert.equal(await (await fetch(`http://127.0.0.1:${localPort}/`)).text(), body);

    // Open in Browser: the editor opens its address (in code-server, its own port proxy's) in a new tab.
    const opened = page.context().waitForEvent('page', { timeout: 30_000 });
    await workbench.contextMenu(label, 'Open in Browser');
    const tab = await opened;
    await tab.waitForLoadState();
    const url = tab.url();
    t.diagnostic(`Open in Browser opened ${url}`);
    assert.ok(url.includes(String(localPort)), `the browser opened ${url}`);
    assert.match(await tab.locator('body').innerText(), new RegExp(body.replace(/[()]/g, '\\$&')));
    await tab.close();

    await workbench.contextMenu(label, 'Stop Forward');
    await workbench.waitForRowGone(label);
    await workbench.waitForRowGone('Forwarded ports');
    assert.equal(await statusBarText(page), '');
    assert.equal(await portIsFree(localPort), true, `port ${localPort} is free again`);
  });

  test('Open RDP Tunnel… on a Windows instance with a public address: the address to paste, and Copy', async () => {
    const { workbench, sandbox } = session();
    const windows = sandbox.manifest.instances.find((i) => i.state === 'running' && i.platform === 'windows' && i.publicIp)!;
    await workbench.contextMenu(windows.name, 'Open RDP Tunnel…');
    const { message, buttons } = await workbench.notification(/point your Remote Desktop client at/);
    assert.ok(message.includes(`${windows.publicIp}:3389`), message);
    assert.match(message, /security group must allow TCP port 3389 from this computer/);
    assert.ok(buttons.includes('Copy Address'), `buttons: ${buttons.join(', ')}`);
    await session().screenshot('forward-2-rdp-public');
  });
});
