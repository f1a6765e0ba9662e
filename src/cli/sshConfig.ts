import { defaultSettings } from '../core/base/settings';
import { cliConfigDir } from './configDir';
import { connectionOptions, connectionOptionSpec, connectionOptionsUsage } from './connectionOptions';
import { stderrLogger } from './logger';
import type { CliCommand } from './main';
import { cliStatePath, instanceOptions, portOption, userOption } from './ssh';
import { JsonFileStore } from './stateFile';

export const sshConfigUsage = `Usage: ec2ic ssh-config <instance-id> [--user U] [--region R] [--profile P] [--port N]
                        [--connection-type auto|direct|privateAddress|eice] [--eice-id ID] [--endpoint URL]
                        [--connect-timeout S]

Prints an OpenSSH host entry for the instance, for people who keep their own ssh config: append it to
~/.ssh/config (or a file it includes), then 'ssh <alias>', 'scp', 'rsync' or Remote-SSH reach the instance.
Its ProxyCommand runs 'ec2ic proxy' with this Node.js, which pushes the key on every connection; the
credentials, region and endpoint settings of the environment ssh runs in (AWS_PROFILE, AWS_ENDPOINT_URL, …)
reach it as they reach ec2ic.

  <instance-id>   i-0123456789abcdef0
  --user U        The OS user. Default: the one chosen before, else the default user of its image, else ec2-user.
  --region R      Default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region.
  --profile P     Default: AWS_PROFILE, or the default credential chain.
  --port N        The instance's SSH port. Default: 22.
${connectionOptionsUsage}

The key pair ssh uses is created on first use in the ec2ic config directory ($XDG_CONFIG_HOME/ec2ic, or
~/.config/ec2ic; %APPDATA%\\ec2ic on Windows), readable by you only.`;

export const sshConfigCommand: CliCommand = {
  name: 'ssh-config',
  summary: 'Print an OpenSSH host entry for an instance (ProxyCommand: ec2ic proxy)',
  usage: sshConfigUsage,
  commandLine: { options: { user: { type: 'string' }, port: { type: 'string' }, ...connectionOptionSpec } },
  run: async (args, core) => {
    const { instanceId, region, profile } = await instanceOptions(args, core, 'ssh-config');
    const osUser = userOption(args);
    const { connectionType, endpointId, endpoint, connectTimeoutSeconds } = connectionOptions(args);

    const aws = new core.AwsClients({ endpoint });
    const connector = new core.Connector({
      aws: () => aws,
      store: await JsonFileStore.open(cliStatePath()),
      settings: () => defaultSettings,
      log: stderrLogger(args.options.debug === true),
    });
    let target;
    try {
      // Resolved now, so that a mistake (no endpoint, a stopped instance) is said here rather than at each ssh.
      target = await connector.resolveTarget({ instance: { instanceId, region, profile }, osUser, port: portOption(args), connectionType, endpointId });
    } catch (err) {
      throw Object.assign(err as object, { failureContext: { operation: 'DescribeInstances', instanceId, region, profile } });
    } finally {
      aws.reset();
    }

    const dir = cliConfigDir();
    const keys = await core.ensureKeyPair(dir, core.handoffKeyPair);
    // This very script, run by this very Node.js: both stay where they are, unlike an editor's extension directory.
    const runtime = { executable: process.execPath, electron: false, cliScript: require.main?.filename ?? __filename };
    const entry = { instanceId, name: target.instance.name, region, profile, user: target.osUser, port: target.port, connectionType, endpointId, endpoint, connectTimeoutSeconds };
    process.stdout.write(core.hostBlock(entry, keys, runtime, process.platform).text);
    return 0;
  },
};
