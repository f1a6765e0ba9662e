import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

export const filter: CommandDefinition = {
  id: commandIds.filter,
  run: async (services) => {
    const text = await services.ui.input({
      title: 'Filter Instances',
      prompt: 'Show the instances whose name, id, state or a tag value contains every word typed.',
      placeholder: 'e.g. web running',
      value: services.view?.filter,
    });
    if (text !== undefined) services.view?.setFilter(text);
  },
};
