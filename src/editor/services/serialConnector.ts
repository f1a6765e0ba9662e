import type { SerialConsoleConnector } from '../../core/connect/serialConsole';
import { connectorFor } from './connector';
import type { Services } from './services';

const connectors = new WeakMap<Services, SerialConsoleConnector>();

/**
 * The editor's one SerialConsoleConnector: it finds instances with Connect's connector (same lookups, same
 * messages) and reads settings and SDK clients from services at each connection.
 */
export function serialConnectorFor(services: Services): SerialConsoleConnector {
  let connector = connectors.get(services);
  if (!connector) {
    const connect = connectorFor(services);
    connector = new (services.core().SerialConsoleConnector)({
      aws: () => services.aws(),
      store: services.store,
      settings: () => services.settings(),
      log: services.log,
      resolveInstance: (ref, refresh, signal) => connect.resolveInstance(ref, refresh, signal),
    });
    connectors.set(services, connector);
  }
  return connector;
}
