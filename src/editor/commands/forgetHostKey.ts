import { instanceTitle } from '../../core/aws/model';
import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

/** Forgets the host key trusted for an instance, so that the next connection trusts the one it presents. */
export const forgetHostKey: CommandDefinition = {
  id: commandIds.forgetHostKey,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, { title: 'Forget the host key of an instance' });
    const hostKeys = services.connector().hostKeys;
    const trusted = hostKeys.get(instance.instanceId);
    if (!(await hostKeys.forget(instance.instanceId))) {
      await services.ui.showMessage('info', `No host key is stored for ${instanceTitle(instance)}.`);
      return;
    }
    services.log.info(`[connect] forgot the host key of ${instance.instanceId} (${trusted?.fingerprint})`);
    await services.ui.showMessage(
      'info',
      `Forgot the host key of ${instanceTitle(instance)} (${trusted?.fingerprint}). The next connection trusts the key the instance presents.`,
    );
  },
};
