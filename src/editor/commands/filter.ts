import type { CommandDefinition } from '../services/services';

export const filter: CommandDefinition = {
  id: 'ec2InstanceConnect.filter',
  run: async (services) => {
    const text = await services.ui.input({
      title: 'Filter Instances',
      prompt: 'Show the instances whose name, id, state or a tag value contains every word typed.',
      placeholder: 'e.g. web running',
      value: services.explorer?.filter,
    });
    if (text !== undefined) services.explorer?.setFilter(text);
  },
};
