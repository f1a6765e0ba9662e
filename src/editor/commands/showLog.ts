import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

export const showLog: CommandDefinition = {
  id: commandIds.showLog,
  run: (services) => services.showLog(),
};
