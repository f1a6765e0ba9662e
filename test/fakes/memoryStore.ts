import type { KeyValueStore } from '../../src/core/base/store';

/** globalState as a Map, for tests. `undefined` removes a key, as in VS Code. */
export class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, unknown>();

  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}
