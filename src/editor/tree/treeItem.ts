import * as vscode from 'vscode';

import type { ExplorerNode } from './nodes';
import type { NodeView } from './nodeView';

const collapsibleStates = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

/** A row's plain description as a TreeItem. The tooltip stays a plain string: AWS text is never markdown. */
export function toTreeItem(view: NodeView, node: ExplorerNode): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, collapsibleStates[view.collapsible]);
  item.id = view.id;
  item.description = view.description;
  item.tooltip = view.tooltip;
  item.contextValue = view.contextValue;
  if (view.icon) item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
  if (view.command) item.command = { command: view.command.id, title: view.command.title, arguments: [node] };
  return item;
}
