import * as vscode from 'vscode';
import type { AwsClients } from '../core/aws/clients';
import { commands, runCommand } from './commands/registry';
import { mfaCodeAsker } from './pickers/mfaPrompt';
import type { Services } from './services/services';
import { readSettings } from './services/readSettings';
import { loadCore } from '../core/load';
import type { Logger } from '../core/base/log';
import { InstancesView } from './tree/instancesView';
import { vscodeUi } from './ui/vscodeUi';

/** What activate() returns to other extensions (and the in-editor tests): the instances tree's data. */
export interface ExtensionApi {
  readonly instancesTree: vscode.TreeDataProvider<unknown>;
}

/** Wires the extension together. Nothing heavy happens here: the core bundle loads on first use. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const channel = vscode.window.createOutputChannel('EC2 Instance Connect', { log: true });
  context.subscriptions.push(channel);

  let aws: AwsClients | undefined;
  const log = channel as Logger;
  // The view's model loads the core bundle on its first getChildren, not here.
  const explorer = new InstancesView(() => services.core().createExplorerBackend(services.aws()), readSettings, log);
  context.subscriptions.push(explorer);
  const services: Services = {
    ui: vscodeUi,
    log,
    store: context.globalState,
    globalStorageDir: context.globalStorageUri.fsPath,
    settings: readSettings,
    core: loadCore,
    aws: () => (aws ??= new (loadCore().AwsClients)({ endpoint: readSettings().endpoint, mfaCodeProvider: mfaCodeAsker(vscodeUi) })),
    showLog: () => channel.show(),
    explorer,
  };

  context.subscriptions.push(
    // Closes the SDK's kept-alive connections when the extension stops.
    { dispose: () => aws?.reset() },
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ec2InstanceConnect.endpoint')) {
        aws?.reset();
        aws = undefined;
      }
      if (['endpoint', 'profiles', 'regions', 'alwaysShowProfiles', 'alwaysShowRegions'].some((key) => event.affectsConfiguration(`ec2InstanceConnect.${key}`))) {
        void explorer.refresh();
      }
    }),
    ...commands.map((command) =>
      vscode.commands.registerCommand(command.id, (...args: unknown[]) => runCommand(services, command, args)),
    ),
  );
  return { instancesTree: explorer.treeDataProvider };
}

export function deactivate(): void {}
