import type { AwsClients } from '../../core/aws/clients';
import type { Logger } from '../../core/base/log';
import type { Settings } from '../../core/base/settings';
import type { KeyValueStore } from '../../core/base/store';
import type { Connector } from '../../core/connect/connector';
import type { SerialConsoleConnector } from '../../core/connect/serialConsole';
import type * as Core from '../../core/core';
import type { InventoryBackend } from '../../core/inventory/backend';
import { Inventory } from '../../core/inventory/inventory';
import { planTargets } from '../../core/inventory/plan';
import type { Services } from './services';

export interface ServiceDeps {
  ui: Services['ui'];
  log: Logger;
  store: KeyValueStore;
  globalStorageDir: string;
  settings(): Settings;
  core(): typeof Core;
  showLog(): void;
  /** Asked for an MFA code when a profile's credentials need one. */
  mfaCodeProvider(mfaSerial: string): Promise<string>;
  /** What the inventory lists with; default: the core's, over aws(). */
  inventoryBackend?(): InventoryBackend;
}

/** Services whose heavy members (SDK clients, connectors) are made on first use; `resetAws` drops the clients. */
export function createServices(deps: ServiceDeps): Services & { resetAws(): void } {
  let aws: AwsClients | undefined;
  let connector: Connector | undefined;
  let serialConsole: SerialConsoleConnector | undefined;
  const services: Services & { resetAws(): void } = {
    ui: deps.ui,
    log: deps.log,
    store: deps.store,
    globalStorageDir: deps.globalStorageDir,
    settings: deps.settings,
    core: deps.core,
    showLog: deps.showLog,
    aws: () => (aws ??= new (deps.core().AwsClients)({ endpoint: deps.settings().endpoint, mfaCodeProvider: deps.mfaCodeProvider })),
    resetAws: () => {
      aws?.reset();
      aws = undefined;
      connector?.endpoints.clear();
    },
    // Settings and SDK clients are read from services at each connection, so the connectors live as long as the extension.
    connector: () =>
      (connector ??= new (deps.core().Connector)({ aws: () => services.aws(), store: deps.store, settings: deps.settings, log: deps.log })),
    serialConsole: () =>
      (serialConsole ??= new (deps.core().SerialConsoleConnector)({
        aws: () => services.aws(),
        store: deps.store,
        settings: deps.settings,
        log: deps.log,
        resolveInstance: (ref, refresh, signal) => services.connector().resolveInstance(ref, refresh, signal),
      })),
    inventory: new Inventory({
      // The listing's endpoint lookups are Connect's: a row's endpoint is the one Connect goes through.
      backend: () => deps.inventoryBackend?.() ?? deps.core().createInventoryBackend(services.aws(), process.env, services.connector().endpoints),
      plan: async (backend) => planTargets(await backend.loadProfiles(), deps.settings(), backend.env),
      log: deps.log,
    }),
  };
  return services;
}
