import { homedir } from 'node:os';
import { join } from 'node:path';

import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import { isProductError, ProductError } from '../../core/errors/productError';
import type { HostEntry } from '../../core/remote/hostEntry';
import { remoteSshFolder } from '../../core/remote/remoteUri';
import { backupPathFor } from '../../core/remote/sshConfigFile';
import { instanceContext } from '../failures/instanceContext';
import { reportFailure } from '../failures/reportFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { pickOsUser } from '../pickers/pickOsUser';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import type { Ui } from '../services/ui';
import type { CommandDefinition } from './command';

/** Microsoft's Remote - SSH, and open-remote-ssh for editors that cannot use Microsoft's (VSCodium, code-server, …). */
export const microsoftRemoteSsh = 'ms-vscode-remote.remote-ssh';
export const openRemoteSsh = 'jeanp413.open-remote-ssh';

export function installedRemoteSsh(ui: Ui): string | undefined {
  return [microsoftRemoteSsh, openRemoteSsh].find((id) => ui.hasExtension(id));
}

/** Microsoft's extension runs only in Microsoft's builds of VS Code; other editors get open-remote-ssh from Open VSX. */
export function suggestedRemoteSsh(appName: string): string {
  return /^Visual Studio Code/.test(appName) ? microsoftRemoteSsh : openRemoteSsh;
}

/** The ssh config Remote-SSH reads: its `remote.SSH.configFile` setting (`~` expanded), else ~/.ssh/config. */
export function sshConfigFile(setting: string, home: string): string {
  if (!setting) return join(home, '.ssh', 'config');
  return setting === '~' || /^~[/\\]/.test(setting) ? join(home, setting.slice(1)) : setting;
}

const showExtension = 'Show Extension';
const addLine = 'Add Line';

/**
 * Open in Remote-SSH: a host entry for the instance in the extension's own ssh config file (its
 * ProxyCommand pushes the key on every connection), one Include of that file in the user's ssh config
 * (asked once, in a modal that shows the line), then a Remote-SSH window on the instance.
 */
export const openInRemoteSSH: CommandDefinition = {
  id: commandIds.openInRemoteSSH,
  run: async (services, arg) => {
    if (!installedRemoteSsh(services.ui)) {
      await offerRemoteSsh(services);
      return;
    }
    const instance = await instanceArgument(services, arg, {
      title: 'Open an instance in Remote-SSH',
      filter: (i) => i.state === 'running' && i.platform === 'linux',
    });
    try {
      await openInstance(services, instance);
    } catch (err) {
      const ctx = instanceContext(instance, 'remoteSSH');
      // The row may be older than the state the instance was found in just now (stopped since it was listed).
      const state = isProductError(err) ? err.facts.state : undefined;
      if (typeof state === 'string') ctx.instanceState = state;
      await reportFailure(services, err, ctx, {
        retry: () => services.ui.executeCommand(openInRemoteSSH.id, instance),
        startInstance: () => services.ui.executeCommand(commandIds.startInstance, instance),
        chooseAnotherUser: () => services.ui.executeCommand(commandIds.chooseOsUser, instance),
      });
    }
  },
};

async function offerRemoteSsh(services: Services): Promise<void> {
  const id = suggestedRemoteSsh(services.ui.appName);
  const choice = await services.ui.showMessage(
    'warning',
    `Open in Remote-SSH needs the Remote - SSH extension (${id}), which is not installed. Install it, then run Open in Remote-SSH again.`,
    [showExtension],
  );
  if (choice !== showExtension) return;
  try {
    await services.ui.executeCommand('extension.open', id);
  } catch {
    await services.ui.executeCommand('workbench.extensions.search', `@id:${id}`);
  }
}

async function openInstance(services: Services, instance: Ec2Instance): Promise<void> {
  const settings = services.settings();
  const core = services.core();
  const log = services.log;
  const title = instanceTitle(instance);
  // The same instance check, address choice and OS user as Connect (remembered, detected from the image, or asked).
  const target = await services.ui.withProgress(`Preparing ${title} for Remote-SSH…`, (signal) =>
    services.connector().resolveTarget({ instance, refresh: true, signal, chooseOsUser: (i) => pickOsUser(services, i) }),
  );

  const entry: HostEntry = {
    instanceId: instance.instanceId,
    name: instance.name,
    region: instance.region,
    profile: instance.profile,
    user: target.osUser,
    port: target.port,
    endpoint: settings.endpoint || undefined,
    // Not the endpoint: the proxy finds the VPC's current one at each connection (one deleted and created again has a new id).
    connectionType: target.connectionType,
  };
  const platform = process.platform;
  const files = core.handoffFiles(join(services.globalStorageDir, 'remote-ssh'));
  const runtime = core.currentRuntime(files.cliCopy);
  // Checked before anything is asked or written: a value ssh could not take stops here.
  const block = core.handoffBlock({ files, entry, runtime, platform });

  const configFile = sshConfigFile(settings.remoteSSH.configFile, homedir());
  const include = await core.ensureInclude(configFile, files.hostFile, {
    platform,
    home: homedir(),
    confirm: async (line, file) => {
      const choice = await services.ui.showMessage('info', `Add one line to ${file}?`, [addLine], {
        modal: true,
        detail:
          `Remote-SSH finds hosts through your ssh config. To open ${title}, this line goes at the top of ${file}, ` +
          `under a comment, to include the host entries EC2 Instance Connect writes for your instances:\n\n${line}\n\n` +
          `Nothing else in the file changes, and a copy of it is kept as ${backupPathFor(file)}.`,
      });
      return choice === addLine;
    },
  });
  if (include.outcome === 'declined') {
    throw new ProductError(
      'configDeclined',
      `${title} was not opened, and ${include.configFile} was not changed. Remote-SSH finds hosts only through that file: ` +
        `run Open in Remote-SSH again and allow the line, or add it at the top of the file yourself: ${include.line}`,
    );
  }
  if (include.outcome === 'added') {
    log.info(`[remote] added "${include.line}" to ${include.configFile}${include.backupFile ? ` (previous file kept as ${include.backupFile})` : ''}`);
  }

  await core.writeHandoff({ files, entry, runtime, platform, bundleDir: core.cliBundleDir, generateKey: () => core.handoffKeyPair() });
  log.info(`[remote] host ${block.alias} (${target.osUser}@${instance.instanceId}) written to ${files.hostFile}; opening it in Remote-SSH`);
  await services.ui.openFolder(remoteSshFolder(block.alias, target.osUser), settings.remoteSSH.openInNewWindow);
}
