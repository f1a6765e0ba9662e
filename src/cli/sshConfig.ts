import { homedir } from 'node:os';
import { join } from 'node:path';

import { defaultSettings } from '../core/base/settings';
import { stringOption } from './args';
import { cliConfigDir } from './configDir';
import { connectionOptions, connectionOptionSpec, connectionOptionsUsage } from './connectionOptions';
import { stderrLogger } from './logger';
import type { CliCommand } from './main';
import { cliStatePath, instanceOptions, portOption, userOption } from './ssh';
import { JsonFileStore } from './stateFile';

export const sshConfigUsage = `Usage: ec2ic ssh-config <instance-id> [--write [--ssh-config FILE]] [--user U] [--region R] [--profile P]
                        [--port N] [--connection-type auto|direct|privateAddress|eice] [--eice-id ID]
                        [--endpoint URL] [--connect-timeout S]

An OpenSSH host entry for the instance, so that 'ssh <alias>', 'scp', 'rsync' or Remote-SSH reach it. Its
ProxyCommand runs 'ec2ic proxy' with this Node.js, which pushes the key on every connection; the credentials,
region and endpoint settings of the environment ssh runs in (AWS_PROFILE, AWS_ENDPOINT_URL, …) reach it as
they reach ec2ic.

  <instance-id>   i-0123456789abcdef0. A stopped instance gets an entry too (a note says so): the proxy
                  checks the state at each connection.
  --write         Write the entry into ec2ic's own host file (in the config directory below), and add an
                  Include of that file at the top of your ssh config, under a comment, if it is not there
                  yet (the file as it was is kept beside it as <file>.before-ec2ic). At the top, because ssh
                  uses the first value it reads for each option: an entry appended below a 'Host *' that sets
                  User would log in as that user. Without --write, the entry is printed: put it above any
                  'Host *' or 'Match all' block of yours.
  --ssh-config F  The ssh config --write adds the Include to. Default: ~/.ssh/config.
  --user U        The OS user. Default: the one chosen before, else the default user of its image, else ec2-user.
  --region R      Default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region.
  --profile P     Default: AWS_PROFILE, or the default credential chain.
  --port N        The instance's SSH port. Default: 22.
${connectionOptionsUsage}

The key pair ssh uses is created on first use in the ec2ic config directory ($XDG_CONFIG_HOME/ec2ic, or
~/.config/ec2ic; %APPDATA%\\ec2ic on Windows), readable by you only.`;

export const sshConfigCommand: CliCommand = {
  name: 'ssh-config',
  summary: 'Write (--write) or print an OpenSSH host entry for an instance (ProxyCommand: ec2ic proxy)',
  usage: sshConfigUsage,
  commandLine: {
    options: { user: { type: 'string' }, port: { type: 'string' }, write: { type: 'boolean' }, 'ssh-config': { type: 'string' }, ...connectionOptionSpec },
  },
  run: async (args, core) => {
    const { instanceId, region, profile } = await instanceOptions(args, core, 'ssh-config');
    const osUser = userOption(args);
    const { connectionType, endpointId, endpoint, connectTimeoutSeconds } = connectionOptions(args);
    const write = args.options.write === true;
    const sshConfigFile = stringOption(args, 'ssh-config') ?? join(homedir(), '.ssh', 'config');

    const aws = new core.AwsClients({ endpoint });
    const connector = new core.Connector({
      aws: () => aws,
      store: await JsonFileStore.open(cliStatePath()),
      settings: () => defaultSettings,
      log: stderrLogger(args.options.debug === true),
    });
    let target;
    try {
      // Resolved now, so that a mistake (no endpoint, a terminated instance) is said here rather than at each ssh.
      target = await connector.resolveHostEntryTarget({ instance: { instanceId, region, profile }, osUser, port: portOption(args), connectionType, endpointId });
    } catch (err) {
      throw Object.assign(err as object, { failureContext: { operation: 'DescribeInstances', instanceId, region, profile } });
    } finally {
      aws.reset();
    }

    const files = core.handoffFiles(cliConfigDir());
    // This very script, run by this very Node.js: both stay where they are, unlike an editor's extension directory.
    const runtime = { executable: process.execPath, electron: false, cliScript: require.main?.filename ?? __filename };
    const entry = { instanceId, name: target.instance.name, region, profile, user: target.osUser, port: target.port, connectionType, endpointId, endpoint, connectTimeoutSeconds };
    const platform = process.platform;
    // Checked before any file is created: a value ssh could not take stops here.
    const block = core.handoffBlock({ files, entry, runtime, platform });
    if (target.notRunning) process.stderr.write(`ec2ic: note: ${target.notRunning} The entry is ${write ? 'written' : 'printed'} anyway: ssh reaches it once it runs.\n`);

    if (!write) {
      await core.ensureKeyPair(files.dir, core.handoffKeyPair);
      process.stdout.write(block.text);
      process.stderr.write(
        `ec2ic: put this entry above any 'Host *' of your ssh config (ssh keeps the first value it reads), or run ec2ic ssh-config ${instanceId} --write to add it through an Include at the top of ${sshConfigFile}.\n`,
      );
      return 0;
    }
    // --write is the consent the editor asks for in a dialog.
    const include = await core.ensureInclude(sshConfigFile, files.hostFile, { platform, home: homedir(), confirm: async () => true });
    const written = await core.writeHandoff({ files, entry, runtime, platform, generateKey: core.handoffKeyPair });
    const lines = [`Wrote host ${block.alias} (${entry.user}@${instanceId}) to ${files.hostFile}.`];
    if (written.backupFile) lines.push(`Its block had lost its end marker; the file as it was is kept as ${written.backupFile}.`);
    if (include.outcome === 'added') {
      lines.push(`Added "${include.line}" at the top of ${include.configFile}${include.backupFile ? ` (the file as it was first is kept as ${include.backupFile})` : ''}.`);
    } else {
      lines.push(`${include.configFile} already includes it.`);
    }
    lines.push(`Connect with: ssh ${block.alias}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
