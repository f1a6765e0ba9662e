import * as vscode from 'vscode';

import type { InstancesTreeModel } from './instancesTreeModel';
import { describeNode, type ExplorerNode } from './nodes';
import { toTreeItem } from './treeItem';

/** Changes arriving within this many milliseconds are shown together (pages of many regions at once). */
const coalesceMs = 30;

/** The TreeDataProvider: a thin mapping of the InstancesTreeModel. getChildren never opens a dialog. */
export class InstancesProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changes.event;
  private pending = new Set<ExplorerNode | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly model: InstancesTreeModel) {
    this.unsubscribe = model.onDidChange((node) => this.queue(node));
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return toTreeItem(describeNode(node), node);
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return this.model.children(node);
  }

  private queue(node: ExplorerNode | undefined): void {
    this.pending.add(node);
    this.timer ??= setTimeout(() => this.flush(), coalesceMs);
  }

  private flush(): void {
    this.timer = undefined;
    const nodes = this.pending;
    this.pending = new Set();
    if (nodes.has(undefined)) this.changes.fire(undefined);
    else for (const node of nodes) this.changes.fire(node);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
    this.changes.dispose();
  }
}
