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
  command?: { id: string; title: string };
}

/** Untrusted text (tags, names) on one line: no control characters, no line breaks, bounded length. */
export function oneLine(text: string, max = 256): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
