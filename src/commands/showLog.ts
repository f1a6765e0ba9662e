import type { CommandDefinition } from './services';

export const showLog: CommandDefinition = {
  id: 'ec2InstanceConnect.showLog',
  run: (services) => services.showLog(),
};
