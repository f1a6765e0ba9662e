/** Reads the extension's instances tree through VS Code's own TreeDataProvider and TreeItem types. */
import * as vscode from 'vscode';

import type { ExtensionApi } from '../../../src/editor/extension';
import { extensionId } from './activation.suite';

export interface Row {
  node: unknown;
  item: vscode.TreeItem;
  label: string;
}

export async function instancesTree(): Promise<vscode.TreeDataProvider<unknown>> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(extensionId)!;
  return (await extension.activate()).instancesTree;
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** Every row under the root, depth first. */
export async function allRows(tree: vscode.TreeDataProvider<unknown>): Promise<Row[]> {
  const rows: Row[] = [];
  const visit = async (parent: unknown) => {
    for (const node of (await tree.getChildren(parent)) ?? []) {
      const item = await tree.getTreeItem(node);
      rows.push({ node, item, label: labelOf(item) });
      if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None) await visit(node);
    }
  };
  await visit(undefined);
  return rows;
}

/** Polls the tree until every label is there (regions answer in their own time). */
export async function waitForRows(labels: string[], timeoutMs = 30_000): Promise<Row[]> {
  const tree = await instancesTree();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await allRows(tree);
    const missing = labels.filter((label) => !rows.some((row) => row.label === label));
    if (missing.length === 0) return rows;
    if (Date.now() > deadline) throw new Error(`the tree never showed ${missing.join(', ')}; it shows ${rows.map((r) => r.label).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
