import * as vscode from 'vscode';

import { commandIds } from '../services/commandIds';
import { forwardsStatus } from '../services/forwardText';
import type { ForwardList } from '../services/services';

/** Set while any port is forwarded: the palette offers the forward commands only then. */
export const hasForwardsContextKey = 'ec2InstanceConnect.hasForwards';

/** `$(plug) 2 forwarded` in the status bar while ports are forwarded (hidden otherwise); a click lists them. */
export class ForwardsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ec2InstanceConnect.forwards', vscode.StatusBarAlignment.Left, 10);
  private readonly unsubscribe: () => void;
  private shown: boolean | undefined;

  constructor(private readonly forwards: ForwardList) {
    this.item.name = 'EC2 Forwarded Ports';
    this.item.command = commandIds.showForwards;
    this.unsubscribe = forwards.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const status = forwardsStatus(this.forwards.list());
    if (status) {
      this.item.text = status.text;
      this.item.tooltip = status.tooltip;
      this.item.show();
    } else {
      this.item.hide();
    }
    if (this.shown !== !!status) {
      this.shown = !!status;
      void vscode.commands.executeCommand('setContext', hasForwardsContextKey, this.shown);
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.item.dispose();
  }
}
