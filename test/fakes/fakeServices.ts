import { type Logger, silentLogger } from '../../src/core/base/log';
import { defaultSettings, type Settings } from '../../src/core/base/settings';
import { MemoryStore } from '../../src/core/base/store';
import type { InventoryBackend } from '../../src/core/inventory/backend';
import { createServices } from '../../src/editor/services/createServices';
import { defaultForwardSettings, type ForwardSettings } from '../../src/editor/services/forwardSettings';
import type { Services } from '../../src/editor/services/services';
import { FakeBackend } from './fakeBackend';
import { FakeUi } from './fakeUi';

type Core = ReturnType<Services['core']>;

export interface FakeServicesOptions {
  settings?: Partial<Settings>;
  /** The core bundle, or the part of it the test needs. */
  core?: Partial<Core>;
  /** What services.aws() returns. */
  aws?: unknown;
  log?: Logger;
  /** What the inventory lists with (default: a backend with no profiles). */
  backend?: InventoryBackend;
  /** globalState (default: an empty one): pass another's to share host keys and remembered users. */
  store?: MemoryStore;
  /** `forwardBindAddress` and `restoreForwards` (default: 127.0.0.1, none). */
  forwardSettings?: Partial<ForwardSettings>;
}

/**
 * Services as the extension makes them (createServices: connectors made on first use from core(), the
 * inventory), with a FakeUi, a memory store, and whatever core, SDK clients and inventory backend the test passes.
 */
export function fakeServices(options: FakeServicesOptions = {}) {
  const ui = new FakeUi();
  const store = options.store ?? new MemoryStore();
  const backend = options.backend ?? new FakeBackend([], {});
  const services = createServices({
    ui,
    log: options.log ?? silentLogger,
    store,
    globalStorageDir: '/nonexistent',
    settings: () => ({ ...defaultSettings, ...options.settings }),
    core: () => options.core as Core,
    showLog: () => undefined,
    mfaCodeProvider: async () => '123456',
    inventoryBackend: () => backend,
    forwardSettings: () => ({ ...defaultForwardSettings, ...options.forwardSettings }),
  });
  if (options.aws !== undefined) services.aws = () => options.aws as ReturnType<Services['aws']>;
  return { services, ui, store };
}
