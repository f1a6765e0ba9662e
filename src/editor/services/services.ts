import type { AwsClients } from '../../core/aws/clients';
import type { Logger } from '../../core/base/log';
import type { Settings } from '../../core/base/settings';
import type { KeyValueStore } from '../../core/base/store';
import type { ConnectionPool } from '../../core/connect/connectionPool';
import type { Connector } from '../../core/connect/connector';
import type { SerialConsoleConnector } from '../../core/connect/serialConsole';
import type * as Core from '../../core/core';
import type { InstanceFiles } from '../../core/files/instanceFiles';
import type { Forward } from '../../core/forward/forward';
import type { Forwards } from '../../core/forward/forwards';
import type { Inventory } from '../../core/inventory/inventory';
import type { FileSettings } from './fileSettings';
import type { ForwardSettings } from './forwardSettings';
import type { Ui, UriParts } from './ui';

/** The instances view's filter, for the Filter commands. */
export interface ViewFilter {
  readonly filter: string | undefined;
  /** Shows only matching instances; undefined or blank clears the filter. */
  setFilter(text: string | undefined): void;
}

/** The forwards running now, as the tree and the status bar read them: without loading the core. */
export interface ForwardList {
  /** Empty until the first forward starts. */
  list(): readonly Forward[];
  /** A forward started, stopped or changed (its state, its connections). Returns an unsubscribe. */
  onDidChange(listener: () => void): () => void;
}

/** A change to an instance's file or folder, as the editor's file system reports it. */
export interface FileChange {
  type: 'created' | 'changed' | 'deleted';
  uri: UriParts;
}

/** The editor's file system of instances: told of changes a command made (an upload, a save as root), it shows them at once. */
export interface InstanceFileChanges {
  didChange(changes: FileChange[]): void;
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
  /**
   * One SSH connection per (profile, region, instance, OS user), shared by Connect's terminals and the forwarded
   * ports: opened on first use, ended a little after its last channel closes.
   */
  pool(): ConnectionPool;
  /** The forwarded ports (over the pool's connections, or Instance Connect Endpoint tunnels for RDP). */
  forwards(): Forwards;
  /** The forwards, for views: reading them never loads the core. */
  readonly forwardList: ForwardList;
  /** `forwardBindAddress` and `restoreForwards`. */
  forwardSettings(): ForwardSettings;
  /** The files of instances (one SFTP session per instance and OS user, on the pool's connections). */
  files(): InstanceFiles;
  /** `files.pollIntervalSeconds` and `files.openIn`. */
  fileSettings(): FileSettings;
  /** The instances of the configured profiles and regions: the tree shows them, the picker and the commands read and update them. */
  readonly inventory: Inventory;
  showLog(): void;
  /** The instances view; absent outside the editor. */
  view?: ViewFilter;
  /** The file system of instances' files; absent outside the editor. */
  fileSystem?: InstanceFileChanges;
}
