/**
 * Plain persistent key-value storage: host keys and chosen OS users, per instance id.
 * The editor passes its globalState; the CLI a JSON file in the user's config directory; tests a Map.
 */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}
