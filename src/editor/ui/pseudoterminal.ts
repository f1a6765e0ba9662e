import * as vscode from 'vscode';

import type { TerminalInput, TerminalOutput } from '../services/ui';

/**
 * The editor half of a terminal on a remote channel: a vscode.Pseudoterminal that hands everything to its
 * logic (a TerminalSession: Connect's ssh2 shell, the serial console) and shows what the logic writes.
 * Each call makes an independent terminal, so several can be open at once.
 */
export function openPseudoterminal(name: string, create: (output: TerminalOutput) => TerminalInput, iconId = 'terminal'): vscode.Terminal {
  const written = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<number | void>();
  let finished = false;
  const logic = create({
    write: (text) => {
      if (!finished) written.fire(text);
    },
    close: (exitCode) => {
      if (finished) return;
      finished = true;
      closed.fire(exitCode);
    },
  });
  const pty: vscode.Pseudoterminal = {
    onDidWrite: written.event,
    onDidClose: closed.event,
    open: (dimensions) => logic.open(dimensions ? { cols: dimensions.columns, rows: dimensions.rows } : undefined),
    handleInput: (data) => logic.input(data),
    setDimensions: (dimensions) => logic.resize({ cols: dimensions.columns, rows: dimensions.rows }),
    close: () => {
      finished = true;
      logic.close();
      written.dispose();
      closed.dispose();
    },
  };
  const terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon(iconId) });
  terminal.show();
  return terminal;
}
