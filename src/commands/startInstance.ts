import type { Ec2Instance } from '../aws/model';
import { cancelled, ProductError } from '../errors/productError';
import { instanceContext, instanceTitle, isAbort } from './instanceFailure';
import { instanceArgument } from './pickInstance';
import { reportFailure } from './reportFailure';
import type { CommandDefinition, Services } from './services';

/** How long Start waits for `running` before saying so (EC2 usually needs well under a minute). */
const maxWaitSeconds = 300;

/** Starts a stopped instance, waits for running with the EC2 waiter, then offers to connect. */
export const startInstance: CommandDefinition = {
  id: 'ec2InstanceConnect.startInstance',
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, { title: 'Start an instance', filter: (i) => i.state === 'stopped' });
    const ctx = instanceContext(instance, 'StartInstances');
    const core = services.core();
    const client = services.aws().ec2Client(instance);
    try {
      await core.startInstance(client, instance.instanceId);
    } catch (err) {
      await reportFailure(services, err, ctx, { retry: () => services.ui.executeCommand(startInstance.id, instance) });
      return;
    }
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
    const ready = running ?? { ...instance, state: 'running' as const };
    const actions = ready.platform === 'linux' ? ['Connect'] : [];
    const choice = await services.ui.showMessage('info', `${instanceTitle(ready)} is running.`, actions);
    if (choice === 'Connect') await services.ui.executeCommand('ec2InstanceConnect.connect', ready);
  },
};

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
    return new ProductError('instanceNotRunning', `${instanceTitle(instance)} did not start: it is ${state}. Its system log (EC2 console) may say why.`);
  }
  return err;
}
