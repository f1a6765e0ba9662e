import type { AwsClients } from '../../core/aws/clients';
import type { Logger } from '../../core/base/log';
import type { Settings } from '../../core/base/settings';
import type { KeyValueStore } from '../../core/base/store';
import type { Connector } from '../../core/connect/connector';
import type { SerialConsoleConnector } from '../../core/connect/serialConsole';
import type * as Core from '../../core/core';
import type { Inventory } from '../../core/inventory/inventory';
import type { Ui } from './ui';


/** The instances view's filter, for the Filter commands. */
export interface ViewFilter {
  readonly filter: string | undefined;
  /** Shows only matching instances; undefined or blank clears the filter. */
  setFilter(text: string | undefined): void;
}

/**
 * What a command, a terminal or a picker may use. Passed in, never global, so each runs in a unit test with
 * a fake UI and store. Nothing here loads the AWS SDK until core(), aws() or a connector is first used.
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
  /** Connect's one connector: host keys, remembered OS users, the key self-test and image lookups, shared by every terminal. */
  connector(): Connector;
  /** The serial console's connector; it finds instances with Connect's, so both name and look them up alike. */
  serialConsole(): SerialConsoleConnector;
  /** The instances of the configured profiles and regions: the tree shows them, the picker and the commands read and update them. */
  readonly inventory: Inventory;
  showLog(): void;
  /** The instances view; absent outside the editor. */
  view?: ViewFilter;
}
