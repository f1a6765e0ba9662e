import * as vscode from 'vscode';

import { DisposableStore } from '../../core/base/disposable';
import type { ConnectionType, Settings } from '../../core/base/settings';
import type { Inventory } from '../../core/inventory/inventory';
import { TransitionalPoller } from '../../core/inventory/transitionalPoller';
import type { ForwardList, ViewFilter } from '../services/services';
import { InstancesProvider } from './instancesProvider';
import { InstancesTreeModel, type ViewState } from './instancesTreeModel';

export const instancesViewId = 'ec2InstanceConnect.instances';

/**
 * The instances view: the tree over the inventory, the filter shown in the view's description, the context
 * keys the welcome content and menus read, and polling of transitional instances while the view is visible.
 */
export class InstancesView implements ViewFilter, vscode.Disposable {
  private readonly model: InstancesTreeModel;
  private readonly provider: InstancesProvider;
  private readonly treeView: vscode.TreeView<unknown>;
  private readonly disposables = new DisposableStore();

  constructor(inventory: Inventory, settings: () => Settings, connectionTypeFor: (instanceId: string) => ConnectionType, forwards?: ForwardList) {
    this.model = this.disposables.add(new InstancesTreeModel(inventory, settings, connectionTypeFor, forwards));
    this.provider = this.disposables.add(new InstancesProvider(this.model));
    this.treeView = this.disposables.add(vscode.window.createTreeView(instancesViewId, { treeDataProvider: this.provider, showCollapseAll: true }));
    const poller = this.disposables.add(new TransitionalPoller(inventory, () => settings().autoRefreshIntervalSeconds));
    poller.setVisible(this.treeView.visible);
    this.disposables.add(this.treeView.onDidChangeVisibility((event) => poller.setVisible(event.visible)));
    this.disposables.addFunction(this.model.onDidChangeState((state) => void setState(state)));
    this.disposables.addFunction(inventory.onDidChange(() => poller.schedule()));
    void setState(this.model.state);
    void vscode.commands.executeCommand('setContext', 'ec2InstanceConnect.filtered', false);
  }

  /** The view's data, as VS Code reads it: exported from activate() for in-editor tests and other extensions. */
  get treeDataProvider(): vscode.TreeDataProvider<unknown> {
    return this.provider;
  }

  get filter(): string | undefined {
    return this.model.filter;
  }

  setFilter(text: string | undefined): void {
    this.model.setFilter(text);
    const filter = this.model.filter;
    this.treeView.description = filter ? `Filter: ${filter}` : undefined;
    // The description is hidden when the view is alone in its container: the message always shows.
    this.treeView.message = filter ? `Showing instances matching "${filter}" (Clear Filter in the title bar).` : undefined;
    void vscode.commands.executeCommand('setContext', 'ec2InstanceConnect.filtered', filter !== undefined);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

function setState(state: ViewState): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'ec2InstanceConnect.state', state);
}
