/**
 * One real editor for a test file: the sandbox, the packaged .vsix installed into code-server pointed at
 * it, and Chromium on the workbench. Screenshots go to test-results/e2e/ (ignored by git).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';

import type { Browser } from 'playwright-core';

import { launchBrowser, openWorkbench } from '../../harness/browser';
import { cacheRoot, projectRoot, type RunningCodeServer } from '../../harness/codeServer';
import { packageExtension, startSandboxEditor } from '../../harness/sandboxEditor';
import { Workbench } from '../../harness/workbench';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../sandbox/index';

export const screenshotDir = join(projectRoot, 'test-results', 'e2e');

export interface EditorSession {
  sandbox: Sandbox;
  editor: RunningCodeServer;
  browser: Browser;
  workbench: Workbench;
  screenshot(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startEditorSession(
  name: string,
  options: {
    sandbox?: SandboxOptions;
    settings?: Record<string, unknown>;
    env?: Record<string, string>;
    extraExtensions?: string[];
  } = {},
): Promise<EditorSession> {
  mkdirSync(screenshotDir, { recursive: true });
  const vsix = packageExtension();
  const sandbox = await startSandbox(options.sandbox);
  let editor: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    editor = await startSandboxEditor({ sandbox, dir: join(cacheRoot, `e2e-${name}`), vsix, settings: options.settings, env: options.env, extraExtensions: options.extraExtensions });
    browser = await launchBrowser();
    const workbench = new Workbench(await openWorkbench(browser, editor.url));
    const session: EditorSession = {
      sandbox,
      editor,
      browser,
      workbench,
      screenshot: (shot) => workbench.screenshot(join(screenshotDir, `${shot}.png`)),
      async stop() {
        await browser?.close();
        await editor?.stop();
        await sandbox.stop();
      },
    };
    return session;
  } catch (err) {
    await browser?.close();
    await editor?.stop();
    await sandbox.stop();
    throw err;
  }
}

/**
 * One editor session for a describe() block: started before its tests, stopped after them. After each
 * test: a screenshot of what the screen showed (the first thing to look at when one fails), and the
 * sandbox and the notifications reset, so tests do not lean on each other.
 */
export function useEditorSession(name: string, options: Parameters<typeof startEditorSession>[1] = {}): () => EditorSession {
  let session: EditorSession | undefined;
  before(async () => {
    session = await startEditorSession(name, options);
  });
  afterEach(async (t) => {
    if (!session) return;
    await session.screenshot(`last-${(t as { name?: string }).name?.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
    await session.sandbox.clearFaults();
    session.sandbox.setSerialConsoleAccess(true);
    await session.workbench.clearNotifications();
  });
  after(async () => {
    await session?.stop();
  });
  return () => {
    if (!session) throw new Error('the editor session did not start');
    return session;
  };
}
