import type { CommandDefinition } from '../services/services';

export const refresh: CommandDefinition = {
  id: 'ec2InstanceConnect.refresh',
  run: async (services) => {
    // Fresh credentials too: after a sign-in or an edit of ~/.aws/credentials the old ones must not be reused.
    services.aws().reset();
    await services.explorer?.refresh();
  },
};
