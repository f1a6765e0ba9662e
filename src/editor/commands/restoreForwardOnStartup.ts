import { ProductError } from '../../core/errors/productError';
import { forwardArgument } from '../pickers/pickForward';
import { commandIds } from '../services/commandIds';
import { restoreForwardsSetting, restoreSpecOf, withRestoredForward } from '../services/forwardSettings';
import { describeForwardBriefly } from '../services/forwardText';
import type { CommandDefinition } from './command';

/** Restore When the Editor Starts: adds a forward to `ec2InstanceConnect.restoreForwards` (the user's settings). */
export const restoreForwardOnStartup: CommandDefinition = {
  id: commandIds.restoreForwardOnStartup,
  run: async (services, arg) => {
    const forward = await forwardArgument(services, arg, { title: 'Restore which forwarded port when the editor starts?', filter: (f) => f.kind === 'ssh' });
    if (forward.kind !== 'ssh') {
      throw new ProductError('badInput', 'Only ports forwarded over SSH are restored when the editor starts: open an RDP tunnel again with Open RDP Tunnel….');
    }
    const settings = services.forwardSettings();
    const spec = restoreSpecOf(forward, settings.bindAddress);
    const updated = withRestoredForward(settings.restoreRaw, forward.instance, spec);
    const what = describeForwardBriefly(forward);
    if (!updated) {
      await services.ui.showMessage('info', `${what} is restored when the editor starts already (${restoreForwardsSetting}).`);
      return;
    }
    await services.ui.updateSetting(restoreForwardsSetting, updated);
    await services.ui.showMessage('info', `${what} will be forwarded again each time the editor starts (${restoreForwardsSetting}: "${spec}").`);
  },
};
