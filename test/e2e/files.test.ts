// An instance's files in a real editor: Open Folder on Instance… on a row, the explorer on the instance's home
// folder, an edit saved over SFTP (read back with `ec2ic ssh -- cat`), create, rename and delete from the explorer,
// and a change made on the instance showing in its open editor after a poll. Other tests log in as the same OS
// user: everything here has a name of its own, and is removed at the end.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { projectRoot } from '../../harness/codeServer';
import type { SandboxInstance } from '../../sandbox';
import { useEditorSession } from './fixture';

const tag = `e2e-files-${randomBytes(3).toString('hex')}`;
const cliHome = mkdtempSync(join(tmpdir(), 'ec2ic-e2e-files-'));

describe("an instance's files in a real editor", { timeout: 300_000 }, () => {
  // Registered before the session's own after(), which stops the sandbox: this one runs first.
  after(async () => {
    try {
      await onInstance(`rm -rf ~/${tag} ~/${tag}.txt ~/${tag}-*`);
    } finally {
      rmSync(cliHome, { recursive: true, force: true });
    }
  });

  const session = useEditorSession('files', { settings: { 'ec2InstanceConnect.files.pollIntervalSeconds': 1 } });
  let web: SandboxInstance;
  /**
   * `node dist/cli.js ssh <web> -- <script>`: the instance's side, as the user's shell there runs it. Spawned, not
   * spawnSync'd: the sandbox it talks to answers from this process.
   */
  const onInstance = async (script: string): Promise<string> => {
    const { sandbox } = session();
    const env: NodeJS.ProcessEnv = { ...process.env, ...sandbox.env, HOME: cliHome, XDG_CONFIG_HOME: join(cliHome, 'config'), AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };
    delete env.AWS_PROFILE;
    const args = ['dist/cli.js', 'ssh', web.instanceId, '--region', web.region, '--user', web.osUser, '--port', String(web.port), '--', script];
    const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
    child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
    const [code] = (await once(child, 'close')) as [number | null];
    if (code !== 0) throw new Error(`ec2ic ssh -- ${script} exited ${code}: ${stderr}`);
    return stdout;
  };

  before(async () => {
    web = session().sandbox.manifest.instances.find((i) => i.name === 'web-prod-1')!;
    // Something of this test's own to find in the home folder.
    await onInstance(`mkdir -p ~/${tag} && printf 'first line\\n' > ~/${tag}.txt && printf 'inside\\n' > ~/${tag}/inner.txt`);
  });

  test('Open Folder on Instance… on a row: the explorer lists the home folder of the instance', async () => {
    const { workbench } = session();
    await workbench.contextMenu(web.name, 'Open Folder on Instance…');
    await pickWhenShown(workbench.page, 'Use This Folder');
    // Adding a second folder makes a workspace of the window (code-server reloads it); the extension comes back for
    // the ec2-instance:// folder by itself (onFileSystem), and reconnects from what its URI says.
    const root = await explorerRow(workbench.page, `${web.osUser} (${web.name})`, 90_000);
    await expand(root);
    await explorerRow(workbench.page, `${tag}.txt`, 60_000);
    await explorerRow(workbench.page, tag);
    await workbench.screenshot(join(projectRoot, 'test-results', 'e2e', 'files-explorer.png'));
  });

  test('open a file, type, save: the instance has the new text', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await (await explorerRow(page, `${tag}.txt`)).click();
    const editor = await activeEditor(page, /first line/);
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('typed in the editor');
    await page.keyboard.press('Control+S');
    await waitUntil(async () => (await onInstance(`cat ~/${tag}.txt`)) === 'first line\ntyped in the editor', 'the saved text on the instance', 30_000);
    await session().screenshot('files-2-saved');
  });

  test('a file changed on the instance shows its new text in the open editor', async () => {
    const { workbench } = session();
    await onInstance(`printf 'changed on the instance\\nsecond line\\n' > ~/${tag}.txt`);
    await activeEditor(workbench.page, /changed on the instance/, 30_000);
    await session().screenshot('files-3-changed-on-instance');
  });

  test('create a file and a folder, rename, delete, from the explorer', async () => {
    const { workbench } = session();
    const page = workbench.page;
    // New File… and New Folder… in the selected folder (the test's own).
    await (await explorerRow(page, tag)).click();
    await explorerAction(page, 'New File...');
    await typeInExplorerInput(page, `${tag}-new.txt`);
    await waitUntil(async () => (await onInstance(`test -f ~/${tag}/${tag}-new.txt && echo yes || true`)).trim() === 'yes', 'the new file on the instance');
    await (await explorerRow(page, tag)).click();
    await explorerAction(page, 'New Folder...');
    await typeInExplorerInput(page, `${tag}-dir`);
    await waitUntil(async () => (await onInstance(`test -d ~/${tag}/${tag}-dir && echo yes || true`)).trim() === 'yes', 'the new folder on the instance');

    // Rename (F2) the new file.
    await (await explorerRow(page, `${tag}-new.txt`)).click();
    await page.keyboard.press('F2');
    await typeInExplorerInput(page, `${tag}-renamed.txt`);
    await waitUntil(async () => (await onInstance(`ls ~/${tag}`)).split('\n').includes(`${tag}-renamed.txt`), 'the renamed file on the instance');
    assert.ok(!(await onInstance(`ls ~/${tag}`)).split('\n').includes(`${tag}-new.txt`));

    // Delete, with VS Code's confirmation.
    await (await explorerRow(page, `${tag}-renamed.txt`)).click();
    await page.keyboard.press('Delete');
    const { dialog, message, buttons } = await workbench.dialog();
    assert.match(message, new RegExp(`${tag}-renamed\\.txt`));
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: buttons.find((b) => /Delete/.test(b)) ?? 'Delete' }).first().click();
    await waitUntil(async () => !(await onInstance(`ls ~/${tag}`)).split('\n').includes(`${tag}-renamed.txt`), 'the file gone from the instance');
    await explorerRowGone(page, `${tag}-renamed.txt`);
    await session().screenshot('files-4-created-renamed-deleted');
  });

  test('Open Terminal Here on a folder: a shell in it; Find in Folder on Instance…: the match opens at its line', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await explorerMenu(page, tag, 'Open Terminal Here');
    await workbench.waitForTerminalText(new RegExp(`in /home/${web.osUser}/${tag}…`));
    await workbench.waitForTerminalText(/\$ $|\$\s*$/m);
    await workbench.typeInTerminal('pwd\n');
    await workbench.waitForTerminalText(new RegExp(`^/home/${web.osUser}/${tag}\\s*$`, 'm'));

    await explorerMenu(page, tag, 'Find in Folder on Instance…');
    await workbench.quickInput('inside');
    await pickWhenShown(page, 'inner.txt:1');
    await activeEditor(page, /^inside/);
    assert.ok((await workbench.editorTabs()).some((tab) => tab.startsWith('inner.txt')), `tabs: ${(await workbench.editorTabs()).join(', ')}`);
    // The picture in the README: the instance's files in the explorer, one open, a terminal in a folder of it.
    await workbench.screenshot(join(projectRoot, 'test-results', 'e2e', 'files-readme.png'));
  });
});

/** Right-click an explorer row, then the menu item (hovered, then Enter: VS Code ignores a click right after the menu opens). */
async function explorerMenu(page: Page, label: string, item: string): Promise<void> {
  await (await explorerRow(page, label)).click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item .action-label', { hasText: new RegExp(`^${escape(item)}$`) }).first();
  await entry.waitFor();
  await entry.hover();
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
}

/** The explorer's row whose label is `label`. */
async function explorerRow(page: Page, label: string, timeout = 30_000): Promise<Locator> {
  const view = page.locator('.explorer-folders-view');
  if (!(await view.isVisible())) await page.keyboard.press('Control+Shift+E');
  const row = view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) }).first();
  await row.waitFor({ timeout });
  return row;
}

async function explorerRowGone(page: Page, label: string, timeout = 30_000): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) });
  await row.first().waitFor({ state: 'detached', timeout });
}

/**
 * A collapsed folder row, expanded. Right after code-server reloads the window (a second workspace folder) the
 * row may be drawn before the tree takes clicks: click until it says it is expanded.
 */
async function expand(row: Locator, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await row.getAttribute('aria-expanded')) !== 'true') {
    if (Date.now() > deadline) throw new Error(`the explorer row did not expand within ${timeout / 1000} s`);
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    await row.page().waitForTimeout(500);
  }
}

/** A button of the explorer's title bar (shown on hover), by its tooltip. */
async function explorerAction(page: Page, title: string): Promise<void> {
  await page.locator('.explorer-folders-view').hover();
  await page.locator(`.part.sidebar .action-label[aria-label^="${title}"]`).locator('visible=true').first().click();
}

/** Types into the explorer's inline name box (new file, new folder, rename) and accepts. */
async function typeInExplorerInput(page: Page, name: string): Promise<void> {
  const input = page.locator('.explorer-folders-view .monaco-inputbox input');
  await input.waitFor();
  await input.fill(name);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'detached' });
}

/** The item of the open quick pick whose label holds `text`, clicked once the pick shows it. */
async function pickWhenShown(page: Page, text: string): Promise<void> {
  const item = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  await item.waitFor({ timeout: 60_000 });
  await item.click();
}

/** The active editor's text, once it matches. */
async function activeEditor(page: Page, pattern: RegExp, timeout = 30_000): Promise<Locator> {
  const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  let text = '';
  await waitUntil(
    async () => {
      text = (await editor.innerText().catch(() => '')).replace(/\u00a0/g, ' ');
      return pattern.test(text);
    },
    `the editor to show ${pattern} (it shows "${text}")`,
    timeout,
  );
  return editor;
}

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
