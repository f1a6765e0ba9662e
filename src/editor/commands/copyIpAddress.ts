import { instanceTitle } from '../../core/aws/model';
import { ProductError } from '../../core/errors/productError';
import { cancelled } from '../../core/errors/productError';
import { instanceArgument } from '../pickers/pickInstance';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

/** Copies the instance's address; asks which one when it has several (public IPv4, IPv6, private). */
export const copyIpAddress: CommandDefinition = {
  id: commandIds.copyIpAddress,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, {
      title: 'Copy the IP address of an instance',
      filter: (i) => !!(i.publicIpv4 || i.publicIpv6 || i.privateIpv4),
    });
    const addresses = [
      { label: instance.publicIpv4, description: 'public IPv4' },
      { label: instance.publicIpv6, description: 'public IPv6' },
      { label: instance.privateIpv4, description: 'private IPv4' },
    ].filter((a): a is { label: string; description: string } => !!a.label);
    if (addresses.length === 0) {
      throw new ProductError('noAddress', `${instanceTitle(instance)} has no IP address (it is ${instance.state}).`);
    }
    const address =
      addresses.length === 1
        ? addresses[0].label
        : await services.ui.pick(addresses.map((a) => ({ ...a, value: a.label })), { title: `Copy which address of ${instanceTitle(instance)}?` });
    if (!address) throw cancelled();
    await services.ui.copyToClipboard(address);
  },
};
