import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import { isProductError, ProductError } from '../../core/errors/productError';
import type { EndpointForward } from '../../core/forward/endpointForward';
import { confirmAndCreateEndpoint } from '../actions/createEndpoint';
import { instanceContext } from '../failures/instanceContext';
import { reportFailure } from '../failures/reportFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { askLocalPort } from '../pickers/pickLocalPort';
import { commandIds } from '../services/commandIds';
import { localAddress } from '../services/forwardText';
import type { Services } from '../services/services';
import type { CommandDefinition } from './command';

export const rdpPort = 3389;
const copyAddress = 'Copy Address';
const tunnelThroughEndpoint = 'Tunnel Through Endpoint';

/**
 * Open RDP Tunnel…: for a Windows instance, an address to paste into a Remote Desktop client. A public one
 * is reached directly (a hint, no tunnel); a private one through its VPC's EC2 Instance Connect Endpoint,
 * one tunnel per RDP connection, with no SSH involved.
 */
export const openRdpTunnel: CommandDefinition = {
  id: commandIds.openRdpTunnel,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, arg, {
      title: 'Open an RDP tunnel to a Windows instance',
      filter: (i) => i.state === 'running' && i.platform === 'windows',
    });
    if (instance.state === 'running' && instance.publicIpv4) await offerDirect(services, instance);
    else await openTunnelTo(services, instance);
  },
};

/** A public address needs no tunnel: say what to paste, and offer the endpoint when its VPC has one. */
async function offerDirect(services: Services, instance: Ec2Instance): Promise<void> {
  const address = `${instance.publicIpv4}:${rdpPort}`;
  const hasEndpoint = await services
    .connector()
    .endpoints.forInstance(instance)
    .then(
      () => true,
      () => false,
    );
  const choice = await services.ui.showMessage(
    'info',
    `${instanceTitle(instance)} has a public address: point your Remote Desktop client at ${address}. ` +
      `Its security group must allow TCP port ${rdpPort} from this computer.`,
    [copyAddress, ...(hasEndpoint ? [tunnelThroughEndpoint] : [])],
  );
  if (choice === copyAddress) await services.ui.copyToClipboard(address);
  else if (choice === tunnelThroughEndpoint) await openTunnelTo(services, instance);
}

/** The tunnel, then its local address with Copy. Failures are notifications whose actions try again. */
export async function openTunnelTo(services: Services, instance: Ec2Instance, localPort?: number): Promise<EndpointForward | undefined> {
  const bind = services.forwardSettings().bindAddress;
  const title = instanceTitle(instance);
  let port = localPort;
  let forward: EndpointForward;
  try {
    if (instance.state !== 'running') {
      throw new ProductError('instanceNotRunning', `${title} in ${instance.region} is ${instance.state}: start it, then open the RDP tunnel.`, { state: instance.state });
    }
    port ??= await services.core().freeLocalPort(bind, rdpPort);
    const local = { host: bind, port };
    forward = await services.ui.withProgress(`Opening an RDP tunnel to ${title}…`, () =>
      services.forwards().openEndpointTunnel({ instance, remotePort: rdpPort, local }),
    );
  } catch (err) {
    if (isProductError(err, 'cancelled')) return undefined;
    await reportFailure(services, err, { ...instanceContext(instance, 'openTunnel'), port: rdpPort }, {
      retry: () => openTunnelTo(services, instance, localPort),
      chooseAnotherPort: async () => openTunnelTo(services, instance, await askLocalPort(services, { bind, title: `RDP tunnel to ${title}`, suggested: 0, taken: port })),
      startInstance: () => services.ui.executeCommand(commandIds.startInstance, instance),
      createEndpoint: async () => {
        if (await confirmAndCreateEndpoint(services, instance)) await openTunnelTo(services, instance, localPort);
      },
    });
    return undefined;
  }
  const address = localAddress(forward);
  void services.ui
    .showMessage(
      'info',
      `RDP tunnel to ${title} open: point your Remote Desktop client at ${address}. Each connection opens its own tunnel through ${forward.endpointId}; Stop Forward ends it.`,
      [copyAddress],
    )
    .then((choice) => (choice === copyAddress ? services.ui.copyToClipboard(address) : undefined));
  return forward;
}
