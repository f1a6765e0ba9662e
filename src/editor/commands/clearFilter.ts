import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

export const clearFilter: CommandDefinition = {
  id: commandIds.clearFilter,
  run: (services) => services.view?.setFilter(undefined),
};
