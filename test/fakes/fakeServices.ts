import type { Services } from '../../src/editor/services/services';
import { silentLogger, type Logger } from '../../src/core/base/log';
import { defaultSettings, type Settings } from '../../src/core/base/settings';
import { FakeUi } from './fakeUi';

type Core = ReturnType<Services['core']>;

/** Services for a command under test: a FakeUi, a memory store, and whatever core/aws the test passes. */
export function fakeServices(options: { settings?: Partial<Settings>; core?: Partial<Core>; aws?: unknown; log?: Logger } = {}) {
  const ui = new FakeUi();
  const store = new Map<string, unknown>();
  const services: Services = {
    ui,
    log: options.log ?? silentLogger,
    store: {
      get: <T>(key: string) => store.get(key) as T | undefined,
      update: async (key: string, value: unknown) => void store.set(key, value),
    },
    globalStorageDir: '/nonexistent',
    settings: () => ({ ...defaultSettings, ...options.settings }),
    core: () => options.core as Core,
    aws: () => options.aws as ReturnType<Services['aws']>,
    showLog: () => undefined,
  };
  return { services, ui };
}
