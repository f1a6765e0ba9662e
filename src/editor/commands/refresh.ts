import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

export const refresh: CommandDefinition = {
  id: commandIds.refresh,
  run: async (services) => {
    // Fresh credentials too: after a sign-in or an edit of ~/.aws/credentials the old ones must not be reused.
    services.aws().reset();
    await services.inventory.refresh();
  },
};
