import type { Connector } from '../../core/connect/connector';
import type { Services } from './services';

const connectors = new WeakMap<Services, Connector>();

/**
 * The one Connector of the editor (host keys, remembered users, the key self-test and image lookups are
 * shared by every terminal). Settings and SDK clients are read from services at each connection.
 */
export function connectorFor(services: Services): Connector {
  let connector = connectors.get(services);
  if (!connector) {
    connector = new (services.core().Connector)({
      aws: () => services.aws(),
      store: services.store,
      settings: () => services.settings(),
      log: services.log,
    });
    connectors.set(services, connector);
  }
  return connector;
}
