import * as core from '../../src/core/core';
import type { Services } from '../../src/editor/services/services';
import { FakeConnector } from './fakeConnector';
import { FakeForwards } from './fakeForwards';

/**
 * The core bundle with the network taken out, for the editor's forward and terminal code: the real
 * ConnectionPool over a FakeConnector, FakeForwards, and a freeLocalPort that answers from `taken`.
 */
export function forwardCore(taken: Set<number> = new Set()) {
  const freeLocalPort = async (_host: string, port: number) => (taken.has(port) ? 0 : port);
  return {
    ...core,
    Connector: FakeConnector as unknown as typeof core.Connector,
    Forwards: FakeForwards as unknown as typeof core.Forwards,
    freeLocalPort,
  };
}

/** The fakes behind the services (made on first use, as the real ones are). */
export function forwardFakes(services: Services) {
  return {
    connector: services.connector() as unknown as FakeConnector,
    forwards: services.forwards() as unknown as FakeForwards,
  };
}
