import { commandIds } from '../services/commandIds';
import type { RegionErrorNode } from '../tree/nodes';
import type { CommandDefinition } from './command';

function isRegionErrorNode(value: unknown): value is RegionErrorNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'regionError';
}

/** Lists a failed region again (the error row's inline action and click). Tree-only: hidden from the palette. */
export const retryRegion: CommandDefinition = {
  id: commandIds.retryRegion,
  run: async (services, node) => {
    if (!isRegionErrorNode(node)) return services.inventory.refresh();
    await services.inventory.retryRegion(node.profile.name, node.region);
  },
};
