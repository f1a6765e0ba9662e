import type { SFTPWrapper } from 'ssh2';

import type { Logger } from '../base/log';
import type { Lease } from '../connect/connectionPool';
import { unavailable } from './fileErrors';

export interface FileSessionOptions {
  /** Holds the instance's shared connection; `again` after the held one was lost (describe the instance again). */
  acquire(again: boolean): Promise<Lease>;
  /** How messages name the instance. */
  who: string;
  /** With no operation for this long, the SFTP session closes and lets the connection go; the next operation reopens it. */
  idleSeconds: number;
  log: Logger;
}

/**
 * The SFTP session behind an instance's files: one channel on the instance's shared connection, opened on
 * the first operation, reopened (fresh key, fresh tunnel) on the first one after a drop. An operation in
 * flight when the connection drops fails with Unavailable; it does not hang.
 */
export class FileSession {
  private current?: { sftp: SFTPWrapper; lease: Lease };
  private opening?: Promise<{ sftp: SFTPWrapper; lease: Lease }>;
  private lost = false;
  private busy = 0;
  private idle?: NodeJS.Timeout;
  private disposed = false;

  constructor(private readonly options: FileSessionOptions) {}

  /** The user the files are read and written as, once known (after the first operation). */
  get osUser(): string | undefined {
    return this.current?.lease.target.osUser;
  }

  /**
   * Runs `operation` on the session. A failure that is the connection's (lost, or it could not be opened) is
   * Unavailable with `path` and the reason; the operation's own errors are its to map.
   */
  async use<T>(path: string, operation: (sftp: SFTPWrapper, lease: Lease) => Promise<T>): Promise<T> {
    if (this.disposed) throw unavailable(path, this.options.who, 'the files of this instance were closed');
    this.busy++;
    clearTimeout(this.idle);
    try {
      let session: { sftp: SFTPWrapper; lease: Lease };
      try {
        session = await this.session();
      } catch (err) {
        throw unavailable(path, this.options.who, err instanceof Error ? err.message : String(err));
      }
      return await this.guarded(path, session, () => operation(session.sftp, session.lease));
    } finally {
      this.busy--;
      this.scheduleIdle();
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.idle);
    this.close();
  }

  /** The operation, or Unavailable as soon as the session under it ends (ssh2 may not answer a request it lost). */
  private guarded<T>(path: string, session: { sftp: SFTPWrapper }, run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onClose = () => reject(unavailable(path, this.options.who, 'the connection to the instance was lost'));
      session.sftp.once('close', onClose);
      run().then(
        (value) => {
          session.sftp.removeListener('close', onClose);
          resolve(value);
        },
        (err: unknown) => {
          session.sftp.removeListener('close', onClose);
          reject(err);
        },
      );
    });
  }

  private session(): Promise<{ sftp: SFTPWrapper; lease: Lease }> {
    if (this.current) return Promise.resolve(this.current);
    this.opening ??= (async () => {
      const lease = await this.options.acquire(this.lost);
      let sftp: SFTPWrapper;
      try {
        sftp = await lease.connection.sftp();
      } catch (err) {
        lease.release();
        throw err;
      }
      const session = { sftp, lease };
      const forget = () => {
        if (this.current !== session) return;
        this.current = undefined;
        this.lost = true;
        lease.release();
      };
      lease.onLost(forget);
      sftp.once('close', forget);
      // Every operation in flight listens for the close (guarded): the file poller alone runs up to 64 stats at once.
      sftp.setMaxListeners(0);
      this.current = session;
      this.options.log.debug(`SFTP session open on ${this.options.who}`);
      return session;
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private scheduleIdle(): void {
    clearTimeout(this.idle);
    if (this.busy > 0 || !this.current || this.disposed) return;
    this.idle = setTimeout(() => this.close(), this.options.idleSeconds * 1000);
    this.idle.unref();
  }

  private close(): void {
    const session = this.current;
    if (!session) return;
    this.current = undefined;
    session.sftp.end();
    session.lease.release();
    this.options.log.debug(`SFTP session on ${this.options.who} closed`);
  }
}
