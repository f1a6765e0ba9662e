import type { CommandDefinition } from '../services/services';

export const clearFilter: CommandDefinition = {
  id: 'ec2InstanceConnect.clearFilter',
  run: (services) => services.explorer?.setFilter(undefined),
};
