import { reportFailure } from '../failures/reportFailure';
import { type CommandId, commandName } from '../services/commandIds';
import type { Services } from '../services/services';
import { chooseConnectionType } from './chooseConnectionType';
import { chooseOsUser } from './chooseOsUser';
import { chooseProfiles } from './chooseProfiles';
import { chooseRegions } from './chooseRegions';
import { clearFilter } from './clearFilter';
import type { CommandDefinition } from './command';
import { connect } from './connect';
import { connectSerialConsole } from './connectSerialConsole';
import { copyForwardAddress } from './copyForwardAddress';
import { copyInstanceId } from './copyInstanceId';
import { copyIpAddress } from './copyIpAddress';
import { createInstanceConnectEndpoint } from './createInstanceConnectEndpoint';
import { download } from './download';
import { enableSerialConsoleAccess } from './enableSerialConsoleAccess';
import { filter } from './filter';
import { findInFolder } from './findInFolder';
import { forgetHostKey } from './forgetHostKey';
import { forwardPort } from './forwardPort';
import { openAwsConfig } from './openAwsConfig';
import { openFolderOnInstance } from './openFolderOnInstance';
import { openForwardInBrowser } from './openForwardInBrowser';
import { openInRemoteSSH } from './openInRemoteSSH';
import { openRdpTunnel } from './openRdpTunnel';
import { openTerminalHere } from './openTerminalHere';
import { rebootInstance } from './rebootInstance';
import { refresh } from './refresh';
import { restoreForwardOnStartup } from './restoreForwardOnStartup';
import { retryRegion } from './retryRegion';
import { saveAsRoot } from './saveAsRoot';
import { showForwards } from './showForwards';
import { showLog } from './showLog';
import { signIn } from './signIn';
import { startInstance } from './startInstance';
import { stopForward } from './stopForward';
import { stopInstance } from './stopInstance';
import { upload } from './upload';

/** Every command the extension contributes, one file each. */
export const commands: CommandDefinition[] = [
  showLog,
  refresh,
  filter,
  clearFilter,
  chooseRegions,
  chooseProfiles,
  startInstance,
  stopInstance,
  rebootInstance,
  copyInstanceId,
  copyIpAddress,
  retryRegion,
  signIn,
  openAwsConfig,
  openInRemoteSSH,
  connect,
  chooseOsUser,
  chooseConnectionType,
  createInstanceConnectEndpoint,
  forgetHostKey,
  connectSerialConsole,
  enableSerialConsoleAccess,
  forwardPort,
  openRdpTunnel,
  stopForward,
  openForwardInBrowser,
  copyForwardAddress,
  restoreForwardOnStartup,
  showForwards,
  openFolderOnInstance,
  download,
  upload,
  saveAsRoot,
  openTerminalHere,
  findInFolder,
];

const commandsById = new Map(commands.map((command) => [command.id, command]));

/** runCommand() for the command with this id: what each command the extension registers calls on its first and every later run. */
export function runCommandById(services: Services, id: CommandId, args: unknown[]): Promise<unknown> {
  const command = commandsById.get(id);
  if (!command) throw new Error(`no command ${id} in the registry`);
  return runCommand(services, command, args);
}

/**
 * Runs a command so that it never ends in an unhandled rejection: anything it throws that it did
 * not report itself becomes a notification.
 */
export async function runCommand(services: Services, command: CommandDefinition, args: unknown[]): Promise<unknown> {
  try {
    return await command.run(services, ...args);
  } catch (err) {
    await reportFailure(services, err, { operation: commandName(command.id) });
    return undefined;
  }
}
