import { forwardArgument } from '../pickers/pickForward';
import { commandIds } from '../services/commandIds';
import { describeForwardBriefly } from '../services/forwardText';
import type { CommandDefinition } from './command';

/** Stops a forward: its port is free again, and its connection goes once nothing else uses it (after a short linger). */
export const stopForward: CommandDefinition = {
  id: commandIds.stopForward,
  run: async (services, arg) => {
    const forward = await forwardArgument(services, arg, { title: 'Stop which forwarded port?' });
    await services.forwards().stop(forward.id);
    services.log.child('forward').info(`stopped ${describeForwardBriefly(forward)}`);
  },
};
