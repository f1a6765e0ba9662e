import { cancelled, ProductError } from '../../core/errors/productError';
import type { Forward } from '../../core/forward/forward';
import { forwardInstanceTitle, forwardLabel, forwardStatus, inert } from '../services/forwardText';
import type { Services } from '../services/services';
import type { PickItem } from '../services/ui';

/** A forward as a pick item: its label, its instance and state. */
export function forwardPickItem(forward: Forward): PickItem<Forward> {
  return {
    label: `$(plug) ${inert(forwardLabel(forward))}`,
    description: inert(forwardInstanceTitle(forward.instance)),
    detail: forwardStatus(forward),
    value: forward,
  };
}

function isForward(value: unknown): value is Forward {
  const v = value as Partial<Forward> | undefined;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.stop === 'function' && typeof v.local === 'object';
}

/**
 * The forward a command acts on: the tree row it was run on (or a Forward passed by another command), else one
 * picked from those running. Throws `cancelled()` when dismissed.
 */
export async function forwardArgument(services: Services, arg: unknown, options: { title: string; filter?: (forward: Forward) => boolean }): Promise<Forward> {
  const row = arg as { kind?: unknown; forward?: unknown } | undefined;
  if (typeof row === 'object' && row !== null && row.kind === 'forward' && isForward(row.forward)) return row.forward;
  if (isForward(arg)) return arg;
  const running = services.forwardList.list().filter((forward) => !options.filter || options.filter(forward));
  if (running.length === 0) {
    const what = options.filter ? 'forwarded over SSH (an RDP tunnel is not one)' : 'forwarded';
    throw new ProductError('badInput', `No port is ${what}. Run Forward a Port… on a running instance first.`);
  }
  const chosen = await services.ui.pick(running.map(forwardPickItem), { title: options.title });
  if (!chosen) throw cancelled();
  return chosen;
}
