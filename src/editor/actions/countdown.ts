import { setTimeout as sleep } from 'node:timers/promises';

import type { Services } from '../services/services';

/**
 * Waits `seconds` with a visible countdown in a cancellable progress notification.
 * Resolves true when the time is up, false when the user cancelled.
 */
export function waitWithCountdown(services: Services, title: string, seconds: number): Promise<boolean> {
  return services.ui.withProgress(title, async (signal, report) => {
    try {
      for (let left = seconds; left > 0; left--) {
        report(`${left} s`);
        await sleep(1000, undefined, { signal });
      }
    } catch {
      return false; // cancelled
    }
    return !signal.aborted;
  });
}
