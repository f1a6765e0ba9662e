import type { CommandId } from '../services/commandIds';

/**
 * What a tree row shows, as plain data: the model builds it without an editor (and tests read it);
 * treeItem.ts turns it into a vscode.TreeItem. The tooltip is plain text, never markdown.
 */
export interface NodeView {
  /** Stable across refreshes, so the tree keeps selection and expansion. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Matched by `viewItem` in package.json's `contributes.menus`. */
  contextValue: string;
  /** A codicon id, and a theme color id for it. */
  icon?: { id: string; color?: string };
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** Run on click, with the node as its argument. */
  command?: { id: CommandId; title: string };
}
