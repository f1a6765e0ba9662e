import assert from 'node:assert/strict';

import * as vscode from 'vscode';

import { test } from '../runner';
import { sandboxManifest } from './sandbox';
import { waitForRows } from './tree';

function nextEvent<T>(event: vscode.Event<T>, matches: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = event((value) => {
      if (!matches(value)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    });
  });
}

test('Connect on a tree row opens a terminal named after the instance on a real shell', async () => {
  const instance = sandboxManifest().instances.find((i) => i.state === 'running' && i.osUser === 'ec2-user' && !i.platform)!;
  const rows = await waitForRows([instance.name]);
  const row = rows.find((r) => r.label === instance.name)!;

  const opened = nextEvent(vscode.window.onDidOpenTerminal, (t) => t.name === instance.name, 30_000, 'terminal');
  await vscode.commands.executeCommand('ec2InstanceConnect.connect', row.node);
  const terminal = await opened;

  // The exit status of the remote shell comes back as the terminal's: proof a shell ran on the instance.
  const closed = nextEvent(vscode.window.onDidCloseTerminal, (t) => t === terminal, 60_000, 'terminal close');
  terminal.sendText('exit 7');
  const ended = await closed;
  assert.equal(ended.exitStatus?.code, 7);
}, 90_000);
