import type { Logger } from '../base/log';
import type { ConnectionPool } from '../connect/connectionPool';
import type { ConnectRequest } from '../connect/connector';
import { instanceDescription } from '../errors/activity';
import { FileSession } from './fileSession';
import { type FilesLocation, formatAuthority } from './location';
import { RemoteFiles } from './remoteFiles';

export interface InstanceFilesDeps {
  pool: ConnectionPool;
  /** How long an unused SFTP session stays open; default 300 seconds. */
  idleSeconds?: number;
  log: Logger;
}

/** The files of every instance the editor has open, one SFTP session each, on the instances' shared connections. */
export class InstanceFiles {
  private readonly open = new Map<string, { files: RemoteFiles; session: FileSession }>();

  constructor(private readonly deps: InstanceFilesDeps) {}

  /** The files at a location (as its URI names it): the same object for the same location. */
  at(location: FilesLocation): RemoteFiles {
    const key = formatAuthority(location);
    let entry = this.open.get(key);
    if (!entry) {
      const who = instanceDescription({ instanceId: location.instanceId, region: location.region });
      const session = new FileSession({
        who,
        idleSeconds: this.deps.idleSeconds ?? 300,
        log: this.deps.log.child('files'),
        acquire: (again) => this.deps.pool.acquire({ ...connectRequest(location), refresh: again }),
      });
      entry = { files: new RemoteFiles(session, who), session };
      this.open.set(key, entry);
    }
    return entry.files;
  }

  dispose(): void {
    for (const { session } of this.open.values()) session.dispose();
    this.open.clear();
  }
}

/** What a connection for a location asks for: the instance by id (described on first use), as its OS user. */
export function connectRequest(location: FilesLocation): ConnectRequest {
  return { instance: { instanceId: location.instanceId, region: location.region, profile: location.profile }, osUser: location.osUser };
}
