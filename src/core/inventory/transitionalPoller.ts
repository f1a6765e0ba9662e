import type { Inventory } from './inventory';

/**
 * Refreshes pending and stopping instances every few seconds while someone watches (the view is visible),
 * until they settle. One timer at a time (many changes in a row schedule one poll), stopped when hidden or
 * disposed.
 */
export class TransitionalPoller {
  private timer: NodeJS.Timeout | undefined;
  private polling: AbortController | undefined;
  private visible = false;
  private disposed = false;

  constructor(
    private readonly inventory: Pick<Inventory, 'transitional' | 'refreshTransitional'>,
    private readonly intervalSeconds: () => number,
  ) {}

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.schedule();
    else this.stop();
  }

  /** Call after the inventory changed: starts polling when something is transitional and the view is visible. */
  schedule(): void {
    if (this.disposed || !this.visible || this.timer || this.polling) return;
    if (this.inventory.transitional().length === 0) return;
    this.timer = setTimeout(() => void this.poll(), Math.max(0.01, this.intervalSeconds()) * 1000);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    const controller = new AbortController();
    this.polling = controller;
    try {
      await this.inventory.refreshTransitional(controller.signal);
    } finally {
      if (this.polling === controller) this.polling = undefined;
    }
    if (!controller.signal.aborted) this.schedule();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.polling?.abort();
    this.polling = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }
}
