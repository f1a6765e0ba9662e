import type { CommandId } from '../services/commandIds';
import type { Services } from '../services/services';

/** One command: its id (as in package.json) and what it does. Arguments come from menus (a tree node) or the palette (none). */
export interface CommandDefinition {
  readonly id: CommandId;
  run(services: Services, ...args: unknown[]): Promise<unknown> | unknown;
}
