import * as vscode from 'vscode';
import type { AwsClients } from './aws/clients';
import { commands, runCommand } from './commands/registry';
import type { Services } from './commands/services';
import { readSettings } from './config';
import { loadCore } from './loadCore';
import type { Logger } from './log';
import { vscodeUi } from './vscodeUi';

/** Wires the extension together. Nothing heavy happens here: the core bundle loads on first use. */
export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('EC2 Instance Connect', { log: true });
  context.subscriptions.push(channel);

  let aws: AwsClients | undefined;
  const services: Services = {
    ui: vscodeUi,
    log: channel as Logger,
    store: context.globalState,
    globalStorageDir: context.globalStorageUri.fsPath,
    settings: readSettings,
    core: loadCore,
    aws: () => (aws ??= new (loadCore().AwsClients)({ endpoint: readSettings().endpoint })),
    showLog: () => channel.show(),
  };

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ec2InstanceConnect.endpoint')) {
        aws?.reset();
        aws = undefined;
      }
    }),
    ...commands.map((command) =>
      vscode.commands.registerCommand(command.id, (...args: unknown[]) => runCommand(services, command, args)),
    ),
  );
}

export function deactivate(): void {}
