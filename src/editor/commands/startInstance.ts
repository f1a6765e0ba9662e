import type { Ec2Instance } from '../../core/aws/model';
import { cancelled, isProductError, ProductError } from '../../core/errors/productError';
import { instanceContext, instanceTitle, isAbort } from '../failures/instanceFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { reportFailure } from '../failures/reportFailure';
import type { CommandDefinition, Services } from '../services/services';

/** How long Start waits for `running` before saying so (EC2 usually needs well under a minute). */
const maxWaitSeconds = 300;

/** Starts a stopped instance, waits for running with the EC2 waiter, then offers to connect. */
export const startInstance: CommandDefinition = {
  id: 'ec2InstanceConnect.startInstance',
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, { title: 'Start an instance', filter: (i) => i.state === 'stopped' });
    let ready: Ec2Instance;
    try {
      ready = await startAndWait(services, instance);
    } catch (err) {
      if (isProductError(err, 'cancelled')) throw err;
      await reportFailure(services, err, instanceContext(instance, 'StartInstances'), { retry: () => services.ui.executeCommand(startInstance.id, instance) });
      return;
    }
    const actions = ready.platform === 'linux' ? ['Connect'] : [];
    const choice = await services.ui.showMessage('info', `${instanceTitle(ready)} is running.`, actions);
    if (choice === 'Connect') await services.ui.executeCommand('ec2InstanceConnect.connect', ready);
  },
};

/**
 * Start, the part other commands reuse (the "Start Instance" action of a failed connection): StartInstances,
 * then a cancellable progress notification until the instance is running; the view follows along.
 * Resolves to the instance as it is once running; cancelling the wait throws `cancelled()` and leaves it starting.
 */
export async function startAndWait(services: Services, instance: Ec2Instance): Promise<Ec2Instance> {
  const core = services.core();
  const client = services.aws().ec2Client(instance);
  await core.startInstance(client, instance.instanceId);
  services.explorer?.updateInstance({ ...instance, state: 'pending' });

  let running: Ec2Instance | undefined;
  try {
    running = await services.ui.withProgress(`Starting ${instanceTitle(instance)}…`, (abortSignal) =>
      core.waitUntilRunning(client, instance, instance.instanceId, { abortSignal, maxWaitSeconds, minDelaySeconds: 2, maxDelaySeconds: 5 }),
    );
  } catch (err) {
    // Cancelling the wait leaves the instance starting; the view keeps polling it.
    if (isAbort(err)) throw cancelled();
    throw await waitFailure(services, instance, err);
  }
  if (running) services.explorer?.updateInstance(running);
  return running ?? { ...instance, state: 'running' };
}

/** The waiter's own errors are JSON dumps: say instead what state the instance is in now. */
async function waitFailure(services: Services, instance: Ec2Instance, err: unknown): Promise<unknown> {
  const now = await services
    .core()
    .describeInstance(services.aws().ec2Client(instance), instance, instance.instanceId)
    .catch(() => undefined);
  if (now) services.explorer?.updateInstance(now);
  const state = now?.state ?? 'unknown';
  if (state === 'pending') {
    return new ProductError('timeout', `${instanceTitle(instance)} is still starting after ${maxWaitSeconds / 60} minutes. The view shows when it is running.`);
  }
  if (now) {
    return new ProductError('instanceNotRunning', `${instanceTitle(instance)} did not start: it is ${state}. Its system log (EC2 console) may say why.`, { state });
  }
  return err;
}
