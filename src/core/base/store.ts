/**
 * Plain persistent key-value storage: host keys and chosen OS users, per instance id.
 * The editor passes its globalState; the CLI a JSON file in the user's config directory.
 */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  /** `undefined` removes the key, as in VS Code's Memento. */
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A store that keeps nothing past the process: the proxy (OpenSSH checks host keys itself), benchmarks, tests. */
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
