import { join } from 'node:path';

import * as vscode from 'vscode';

import { createLogger } from '../core/base/log';
import { ConnectionTypeMemory } from '../core/connect/connectionType';
import { loadCore } from '../core/load';
import { registerInstanceFileSystem } from './files/instanceFileSystem';
import { loadCommands } from './loadCommands';
import { mfaCodeAsker } from './pickers/mfaPrompt';
import { commandIds } from './services/commandIds';
import { createServices } from './services/createServices';
import { hasForwardsToRestore } from './services/forwardSettings';
import { LogChannel } from './services/logChannel';
import { readFileSettings, readForwardSettings, readSettings } from './services/readSettings';
import { ForwardsStatusBar } from './tree/forwardsStatusBar';
import { InstancesView } from './tree/instancesView';
import { vscodeUi } from './ui/vscodeUi';

/** What activate() returns to other extensions (and the in-editor tests): the instances tree's data. */
export interface ExtensionApi {
  readonly instancesTree: vscode.TreeDataProvider<unknown>;
}

/** Settings that change what the view lists. */
const listingSettings = ['endpoint', 'profiles', 'regions', 'alwaysShowProfiles', 'alwaysShowRegions', 'connectionType', 'usePrivateAddress'];

/**
 * Wires the extension together. Nothing heavy happens here: the commands' bundle loads when one first runs,
 * the core bundle on first use.
 */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const channel = vscode.window.createOutputChannel('EC2 Instance Connect', { log: true });
  const logChannel = new LogChannel(channel);
  const services = createServices({
    ui: vscodeUi,
    log: createLogger(logChannel),
    store: context.globalState,
    globalStorageDir: context.globalStorageUri.fsPath,
    settings: readSettings,
    // V8's code cache for the core goes in the extension's own storage, not into the installed extension.
    core: () => loadCore(join(context.globalStorageUri.fsPath, 'code-cache')),
    showLog: () => channel.show(),
    mfaCodeProvider: mfaCodeAsker(vscodeUi),
    forwardSettings: readForwardSettings,
    fileSettings: readFileSettings,
  });
  const connectionTypes = new ConnectionTypeMemory(services.store);
  const view = new InstancesView(services.inventory, readSettings, (id) => connectionTypes.get(id) ?? readSettings().connectionType, services.forwardList);
  services.view = view;

  context.subscriptions.push(
    view,
    new ForwardsStatusBar(services.forwardList),
    // The files of instances (ec2-instance:// URIs): registered now, the core loads on their first operation.
    registerInstanceFileSystem(services, (uri) => void loadCommands().offerSaveAsRoot(services, uri)),
    { dispose: () => services.inventory.dispose() },
    // Forwards stop and pooled connections end with the extension (their terminals close with the window).
    { dispose: () => services.closeConnections() },
    // Closes the SDK's kept-alive connections when the extension stops.
    { dispose: () => services.resetAws() },
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ec2InstanceConnect.endpoint')) services.resetAws();
      if (listingSettings.some((key) => event.affectsConfiguration(`ec2InstanceConnect.${key}`))) void services.inventory.refresh();
    }),
    // Every command by id; its body (and the commands' bundle) loads when it first runs.
    ...Object.values(commandIds).map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => loadCommands().runCommandById(services, id, args))),
    // Last, as the host disposes these in order: what closes before it (forwards, pooled connections) still logs.
    logChannel,
  );
  // Only when the setting lists some: otherwise nothing is loaded (the extension also activates at startup for this).
  if (hasForwardsToRestore(services.forwardSettings())) void loadCommands().restoreForwards(services);
  return { instancesTree: view.treeDataProvider };
}

export function deactivate(): void {}
