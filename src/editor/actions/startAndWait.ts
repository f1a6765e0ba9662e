import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import { isAbortError } from '../../core/base/abort';
import { cancelled, ProductError } from '../../core/errors/productError';
import type { Services } from '../services/services';

/** How long Start waits for `running` before saying so (EC2 usually needs well under a minute). */
const maxWaitSeconds = 300;

/**
 * Start, the part other commands reuse (the "Start Instance" action of a failed connection): StartInstances,
 * then a cancellable progress notification until the instance is running; every view follows along.
 * Resolves to the instance as it is once running; cancelling the wait throws `cancelled()` and leaves it starting.
 */
export async function startAndWait(services: Services, instance: Ec2Instance): Promise<Ec2Instance> {
  const core = services.core();
  const client = services.aws().ec2Client(instance);
  await core.startInstance(client, instance.instanceId);
  services.inventory.updateInstance({ ...instance, state: 'pending' });

  let running: Ec2Instance | undefined;
  try {
    running = await services.ui.withProgress(`Starting ${instanceTitle(instance)}…`, (abortSignal) =>
      core.waitUntilRunning(client, instance, instance.instanceId, { abortSignal, maxWaitSeconds, minDelaySeconds: 2, maxDelaySeconds: 5 }),
    );
  } catch (err) {
    // Cancelling the wait leaves the instance starting; the view keeps polling it.
    if (isAbortError(err)) throw cancelled();
    throw await waitFailure(services, instance, err);
  }
  if (running) services.inventory.updateInstance(running);
  return running ?? { ...instance, state: 'running' };
}

/** The waiter's own errors are JSON dumps: say instead what state the instance is in now. */
async function waitFailure(services: Services, instance: Ec2Instance, err: unknown): Promise<unknown> {
  const now = await services
    .core()
    .describeInstance(services.aws().ec2Client(instance), instance, instance.instanceId)
    .catch(() => undefined);
  if (now) services.inventory.updateInstance(now);
  const state = now?.state ?? 'unknown';
  if (state === 'pending') {
    return new ProductError('timeout', `${instanceTitle(instance)} is still starting after ${maxWaitSeconds / 60} minutes. The view shows when it is running.`);
  }
  if (now) {
    return new ProductError('instanceNotRunning', `${instanceTitle(instance)} did not start: it is ${state}. Its system log (EC2 console) may say why.`, { state });
  }
  return err;
}
