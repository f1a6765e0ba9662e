/**
 * `npm run test:electron`: the in-editor suite in VS Code desktop with @vscode/test-electron, against the
 * sandbox. Uses VSCODE_EXECUTABLE_PATH when set, else downloads VS Code (the minimum version the
 * extension supports). Where neither works (no internet, no VS Code), it says so and exits 0 without
 * claiming a pass; the same suite runs inside code-server in `npm test` (test/e2e/inEditorSuite.test.ts).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runTests } from '@vscode/test-electron';

import { quietSettings } from '../../harness/codeServer';
import { sandboxHome, sandboxSettings } from '../../harness/sandboxEditor';
import { engines } from '../../package.json';
import { startSandbox } from '../../sandbox/index';
import { buildSuite } from './buildSuite';

const root = join(__dirname, '..', '..');
/** The oldest VS Code the extension supports (engines.vscode without its caret). */
const minimumVersion = engines.vscode.replace(/^\^/, '');

async function main(): Promise<number> {
  const suite = buildSuite();
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'ec2ic-electron-'));
  const userDataDir = join(dir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...sandboxSettings(sandbox) }));
  const manifest = join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify(sandbox.manifest));
  mkdirSync(join(dir, 'workspace'));
  try {
    return await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      version: process.env.VSCODE_EXECUTABLE_PATH ? undefined : minimumVersion,
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      extensionTestsEnv: { ...sandboxHome(dir, sandbox), EC2IC_SANDBOX_MANIFEST: manifest },
      launchArgs: [join(dir, 'workspace'), '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!process.env.VSCODE_EXECUTABLE_PATH && /download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|fetch failed|socket|network/i.test(message)) {
      console.log(
        `NOT RUN: VS Code ${minimumVersion} could not be downloaded (${message.split('\n')[0]}), and VSCODE_EXECUTABLE_PATH is not set.\n` +
          'The same in-editor suite runs inside code-server as part of `npm test` (test/e2e/inEditorSuite.test.ts).',
      );
      return 0;
    }
    console.error(`The in-editor suite failed: ${message}`);
    return 1;
  } finally {
    await sandbox.stop();
  }
}

main().then((code) => process.exit(code));
