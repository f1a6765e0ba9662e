import assert from 'node:assert/strict';

import * as vscode from 'vscode';

import { test } from '../runner';

export const extensionId = 'ec2ic.ec2-instance-connect';

test('the extension is installed and activates', async () => {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is not installed`);
  await extension.activate();
  assert.equal(extension.isActive, true);
});

test('every command the extension contributes is registered', async () => {
  const extension = vscode.extensions.getExtension(extensionId)!;
  await extension.activate();
  const contributed = (extension.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = contributed.filter((command) => !registered.has(command));
  assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
});

test('the EC2 view opens', async () => {
  await vscode.commands.executeCommand('workbench.view.extension.ec2InstanceConnect');
  await vscode.commands.executeCommand('ec2InstanceConnect.instances.focus');
});
