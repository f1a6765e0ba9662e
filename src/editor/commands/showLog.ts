import type { CommandDefinition } from '../services/services';

export const showLog: CommandDefinition = {
  id: 'ec2InstanceConnect.showLog',
  run: (services) => services.showLog(),
};
