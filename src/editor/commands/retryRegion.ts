import type { RegionErrorNode } from '../tree/nodes';
import type { CommandDefinition } from '../services/services';

function isRegionErrorNode(value: unknown): value is RegionErrorNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'regionError';
}

/** Lists a failed region again (the error row's inline action and click). Tree-only: hidden from the palette. */
export const retryRegion: CommandDefinition = {
  id: 'ec2InstanceConnect.retryRegion',
  run: async (services, node) => {
    if (!isRegionErrorNode(node)) return services.explorer?.refresh();
    await services.explorer?.retryRegion(node.profile.name, node.region);
  },
};
