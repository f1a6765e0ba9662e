import { type ConnectionType, connectionTypes } from '../base/settings';
import type { KeyValueStore } from '../base/store';

const storeKey = (instanceId: string) => `connectionType/${instanceId}`;

/** The way in the person chose for each instance (Choose Connection Type…), remembered across sessions like its OS user. */
export class ConnectionTypeMemory {
  constructor(private readonly store: KeyValueStore) {}

  get(instanceId: string): ConnectionType | undefined {
    const value = this.store.get<string>(storeKey(instanceId));
    return connectionTypes.find((type) => type === value);
  }

  async remember(instanceId: string, type: ConnectionType | undefined): Promise<void> {
    await this.store.update(storeKey(instanceId), type);
  }
}
