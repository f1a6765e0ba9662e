import { posix } from 'node:path';

import { instanceLabel } from '../../core/aws/model';
import { oneLine } from '../../core/base/sanitize';
import type { ConnectTarget } from '../../core/connect/connector';
import { describeFailure } from '../../core/errors/describe';
import type { FailureContext } from '../../core/errors/types';
import { connectRequest } from '../../core/files/instanceFiles';
import type { FilesLocation } from '../../core/files/location';
import { reportFailure } from '../failures/reportFailure';
import type { Services } from '../services/services';
import { TerminalSession } from './terminalSession';

/** What a folder terminal needs to know of its instance beyond the location: the Name the view shows, if any. */
export interface FolderTerminalOptions {
  instanceName?: string;
  /** The failure context's base (the instance's name and state, as the view knows them). */
  context: FailureContext;
}

/**
 * Open Terminal Here: a shell started in a folder of an instance, on the instance's shared connection (the same
 * one its files use: no second key push), behaving like Connect's terminal (the same TerminalSession: status
 * lines, type-ahead, Enter reconnects after a drop with a fresh key). Failures are notifications with Retry.
 */
export function openFolderTerminal(services: Services, location: FilesLocation, folder: string, options: FolderTerminalOptions): void {
  const pool = services.pool();
  let target: ConnectTarget | undefined;
  const context = (): FailureContext => ({ ...options.context, operation: 'connect', host: target?.host, port: target?.port, endpointId: target?.endpoint?.id });
  // A folder's name is the instance's text: plain, on one line, in the terminal's tab.
  const name = `${instanceLabel({ instanceId: location.instanceId, name: options.instanceName })}: ${oneLine(posix.basename(folder), 80) || '/'}`;
  services.ui.openTerminal(
    name,
    (output) => {
      const session: TerminalSession = new TerminalSession(
        async ({ size, attempt, status, signal }) => {
          const { channel, target: reached } = await pool.openShell(
            {
              ...connectRequest(location),
              // A reconnect looks the instance up again: a stop and start changes its address.
              refresh: attempt > 0,
              onConnecting: (t) => {
                target = t;
                const through = t.endpoint ? ` through EC2 Instance Connect Endpoint ${t.endpoint.id}` : '';
                status(`Connecting to ${t.osUser}@${t.host} (${t.instance.instanceId})${through}, in ${folder}…`);
              },
              signal,
            },
            size,
            folder,
          );
          target = reached;
          return channel;
        },
        {
          ...output,
          describe: (err) => describeFailure(err, context()).message,
          failed: (err) => void reportFailure(services, err, context(), { retry: () => session.reconnect() }),
        },
      );
      return session;
    },
    { iconId: 'folder' },
  );
}
