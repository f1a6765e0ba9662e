import * as vscode from 'vscode';
import type { ExplorerBackend } from '../../core/inventory/backend';
import type { Ec2Instance } from '../../core/aws/model';
import { componentLogger, type Logger } from '../../core/base/log';
import type { Settings } from '../../core/base/settings';
import type { ExplorerControl } from './explorerControl';
import { ExplorerModel, type ExplorerState } from './explorerModel';
import { InstancesProvider } from './instancesProvider';
import { TransitionalPoller } from '../../core/inventory/transitionalPoller';

export const instancesViewId = 'ec2InstanceConnect.instances';

/**
 * The instances view: the model, its tree, the filter shown in the view's description, the context
 * keys the welcome content and menus read, and polling of transitional instances while visible.
 */
export class InstancesView implements ExplorerControl, vscode.Disposable {
  private readonly model: ExplorerModel;
  private readonly provider: InstancesProvider;
  private readonly treeView: vscode.TreeView<unknown>;
  private readonly poller: TransitionalPoller;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(createBackend: () => ExplorerBackend, settings: () => Settings, log: Logger) {
    this.model = new ExplorerModel(createBackend, settings, componentLogger(log, 'explorer'));
    this.provider = new InstancesProvider(this.model);
    this.treeView = vscode.window.createTreeView(instancesViewId, { treeDataProvider: this.provider, showCollapseAll: true });
    this.poller = new TransitionalPoller(this.model, () => settings().autoRefreshIntervalSeconds);
    this.poller.setVisible(this.treeView.visible);

    const stopStateEvents = this.model.onDidChangeState((state) => setState(state));
    const stopChangeEvents = this.model.onDidChange(() => this.poller.schedule());
    void setState(this.model.state);
    void vscode.commands.executeCommand('setContext', 'ec2InstanceConnect.filtered', false);
    this.disposables.push(
      this.treeView,
      this.provider,
      this.treeView.onDidChangeVisibility((event) => this.poller.setVisible(event.visible)),
      { dispose: stopStateEvents },
      { dispose: stopChangeEvents },
    );
  }

  /** The view's data, as VS Code reads it: exported from activate() for in-editor tests and other extensions. */
  get treeDataProvider(): vscode.TreeDataProvider<unknown> {
    return this.provider;
  }

  get filter(): string | undefined {
    return this.model.filter;
  }

  refresh(): Promise<void> {
    return this.model.refresh();
  }

  setFilter(text: string | undefined): void {
    this.model.setFilter(text);
    const filter = this.model.filter;
    this.treeView.description = filter ? `Filter: ${filter}` : undefined;
    // The description is hidden when the view is alone in its container: the message always shows.
    this.treeView.message = filter ? `Showing instances matching "${filter}" (Clear Filter in the title bar).` : undefined;
    void vscode.commands.executeCommand('setContext', 'ec2InstanceConnect.filtered', filter !== undefined);
  }

  retryRegion(profile: string | undefined, region: string): Promise<void> {
    return this.model.retryRegion(profile, region);
  }

  updateInstance(instance: Ec2Instance): void {
    this.model.updateInstance(instance);
  }

  dispose(): void {
    this.poller.dispose();
    this.model.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function setState(state: ExplorerState): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'ec2InstanceConnect.state', state);
}
