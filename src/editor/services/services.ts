import type * as Core from '../../core/core';
import type { AwsClients } from '../../core/aws/clients';
import type { Logger } from '../../core/base/log';
import type { ExplorerControl } from '../tree/explorerControl';
import type { Settings } from '../../core/base/settings';
import type { KeyValueStore } from '../../core/base/store';
import type { Ui } from '../ui/ui';

export type { KeyValueStore } from '../../core/base/store';

/**
 * What a command may use. Passed in, never global, so a command can be run in a unit test with
 * a fake UI and store. Nothing here loads the AWS SDK until core() or aws() is called.
 */
export interface Services {
  readonly ui: Ui;
  readonly log: Logger;
  readonly store: KeyValueStore;
  /** The extension's private directory (created on demand). */
  readonly globalStorageDir: string;
  settings(): Settings;
  /** The heavy core bundle, loaded on first call. */
  core(): typeof Core;
  /** SDK clients built from the current settings; rebuilt when they change. */
  aws(): AwsClients;
  showLog(): void;
  /** The instances view, for commands that refresh or update it; absent outside the editor. */
  readonly explorer?: ExplorerControl;
}

/** One command: its id (as in package.json) and what it does. Arguments come from menus (a tree node) or the palette (none). */
export interface CommandDefinition {
  readonly id: string;
  run(services: Services, ...args: unknown[]): Promise<unknown> | unknown;
}
