import { instanceTitle } from '../../core/aws/model';
import { confirmAndCreateEndpoint } from '../actions/createEndpoint';
import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

/** On a private instance whose VPC has no endpoint ("no way in"): creates one in its subnet, then offers Connect. */
export const createInstanceConnectEndpoint: CommandDefinition = {
  id: commandIds.createInstanceConnectEndpoint,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, {
      title: 'Create an EC2 Instance Connect Endpoint for an instance',
      filter: (i) => i.platform === 'linux' && !i.publicIpv4 && i.vpcId !== undefined,
    });
    if (!(await confirmAndCreateEndpoint(services, instance))) return;
    const actions = instance.state === 'running' ? ['Connect'] : [];
    const choice = await services.ui.showMessage('info', `${instanceTitle(instance)} can now be reached through its EC2 Instance Connect Endpoint.`, actions);
    if (choice === 'Connect') await services.ui.executeCommand(commandIds.connect, instance);
  },
};
