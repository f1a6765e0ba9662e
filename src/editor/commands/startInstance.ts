import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import { isProductError } from '../../core/errors/productError';
import { startAndWait } from '../actions/startAndWait';
import { instanceContext } from '../failures/instanceContext';
import { reportFailure } from '../failures/reportFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

/** Starts a stopped instance, waits for running with the EC2 waiter, then offers to connect. */
export const startInstance: CommandDefinition = {
  id: commandIds.startInstance,
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
    if (choice === 'Connect') await services.ui.executeCommand(commandIds.connect, ready);
  },
};

