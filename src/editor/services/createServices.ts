import type { AwsClients } from '../../core/aws/clients';
import type { Logger } from '../../core/base/log';
import type { Settings } from '../../core/base/settings';
import type { KeyValueStore } from '../../core/base/store';
import type { ConnectionPool } from '../../core/connect/connectionPool';
import type { Connector } from '../../core/connect/connector';
import type { SerialConsoleConnector } from '../../core/connect/serialConsole';
import type * as Core from '../../core/core';
import type { InstanceFiles } from '../../core/files/instanceFiles';
import { ChangeEmitter } from '../../core/forward/forward';
import type { Forwards } from '../../core/forward/forwards';
import type { InventoryBackend } from '../../core/inventory/backend';
import { Inventory } from '../../core/inventory/inventory';
import { planTargets } from '../../core/inventory/plan';
import { defaultFileSettings, type FileSettings } from './fileSettings';
import { defaultForwardSettings, type ForwardSettings } from './forwardSettings';
import type { Services } from './services';

/** How long a connection nobody uses stays open: the next terminal or forward within it needs no new key. */
export const poolLingerSeconds = 15;

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
  /** Default: 127.0.0.1, nothing to restore. */
  forwardSettings?(): ForwardSettings;
  /** Default: poll every 3 seconds, open folders in this window's workspace. */
  fileSettings?(): FileSettings;
}

export interface OwnedServices extends Services {
  /** Drops the SDK clients (the endpoint setting changed, the extension stops). */
  resetAws(): void;
  /** Stops every forward, closes the files' SFTP sessions and ends every pooled connection (the extension stops). */
  closeConnections(): void;
}

/** Services whose heavy members (SDK clients, connectors, the pool, the forwards) are made on first use. */
export function createServices(deps: ServiceDeps): OwnedServices {
  let aws: AwsClients | undefined;
  let connector: Connector | undefined;
  let serialConsole: SerialConsoleConnector | undefined;
  let pool: ConnectionPool | undefined;
  let forwards: Forwards | undefined;
  let files: InstanceFiles | undefined;
  const forwardChanges = new ChangeEmitter();
  const services: OwnedServices = {
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
    pool: () => (pool ??= new (deps.core().ConnectionPool)({ connector: services.connector(), lingerSeconds: poolLingerSeconds, log: deps.log })),
    forwards: () => {
      if (!forwards) {
        forwards = new (deps.core().Forwards)({
          pool: services.pool(),
          aws: () => services.aws(),
          connectTimeoutSeconds: () => deps.settings().connectTimeoutSeconds,
          log: deps.log,
        });
        forwards.onDidChange(() => forwardChanges.fire());
      }
      return forwards;
    },
    forwardList: {
      list: () => forwards?.list() ?? [],
      onDidChange: (listener) => forwardChanges.on(listener),
    },
    forwardSettings: () => deps.forwardSettings?.() ?? defaultForwardSettings,
    files: () => (files ??= new (deps.core().InstanceFiles)({ pool: services.pool(), log: deps.log })),
    fileSettings: () => deps.fileSettings?.() ?? defaultFileSettings,
    closeConnections: () => {
      // Each forward stops listening and lets its connection go at once; the pool then ends every connection.
      void forwards?.stopAll();
      files?.dispose();
      pool?.dispose();
    },
    inventory: new Inventory({
      // The listing's endpoint lookups are Connect's: a row's endpoint is the one Connect goes through.
      backend: () => deps.inventoryBackend?.() ?? deps.core().createInventoryBackend(services.aws(), process.env, services.connector().endpoints),
      plan: async (backend) => planTargets(await backend.loadProfiles(), deps.settings(), backend.env),
      log: deps.log,
    }),
  };
  return services;
}
