import { connectionTypeOf, defaultSettings, type PrivateAddressPolicy } from '../core/base/settings';
import { ProductError } from '../core/errors/productError';
import { loadProxyCore } from '../core/load';
import { type ParsedArgs, stringOption } from './args';
import { connectionOptions, connectionOptionSpec, connectionOptionsUsage } from './connectionOptions';
import { stderrLogger } from './logger';
import type { CliCommand } from './main';
import { instanceOptions, portOption, userOption } from './ssh';

export const proxyUsage = `Usage: ec2ic proxy <instance-id> --user U --public-key FILE [--region R] [--profile P] [--port N]
                   [--endpoint URL] [--connection-type auto|direct|privateAddress|eice] [--eice-id ID]
                   [--connect-timeout S]

The ProxyCommand of the ssh host entries that "Open in Remote-SSH" and 'ec2ic ssh-config' write: ssh runs it
for each connection. It pushes the public key with EC2 Instance Connect (SendSSHPublicKey; the instance
accepts it for 60 seconds) while it looks the instance up and connects to its SSH port (straight, or through
an EC2 Instance Connect Endpoint), and relays stdin and stdout until either side closes. ssh itself
authenticates, with the matching private key.

  <instance-id>       i-0123456789abcdef0
  --user U            The OS user ssh logs in as (the key is pushed for that user).
  --public-key FILE   The public key to push (OpenSSH format, ssh-ed25519 or ssh-rsa).
  --region R          Default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region.
  --profile P         Default: AWS_PROFILE, or the default credential chain.
  --port N            The instance's SSH port. Default: 22.
${connectionOptionsUsage}
  --private-address P The old form of --connection-type, still read from host entries written before it:
                       never = auto, whenNoPublicAddress = direct, always = privateAddress.
  --debug             Log each step on stderr (ssh shows it).

On failure it writes one line saying what happened on stderr, and exits with status 1.`;

const policies: PrivateAddressPolicy[] = ['never', 'whenNoPublicAddress', 'always'];

function required(args: ParsedArgs, name: string): string {
  const value = stringOption(args, name);
  if (!value) throw new ProductError('badInput', `--${name} is required (see ec2ic proxy --help).`);
  return value;
}

export const proxyCommand: CliCommand = {
  name: 'proxy',
  summary: 'ssh ProxyCommand: push a key, then relay to the instance (used by ssh-config)',
  usage: proxyUsage,
  commandLine: {
    options: {
      user: { type: 'string' },
      'public-key': { type: 'string' },
      port: { type: 'string' },
      'private-address': { type: 'string' },
      ...connectionOptionSpec,
    },
  },
  // `core` is read only for a host entry without --region (the profile's region, from the config files): the
  // proxy runs from dist/proxy.js, which loads in a fraction of dist/core.js's time, for every ssh connection.
  run: async (args, core) => {
    const { instanceId, region, profile } = await instanceOptions(args, core, 'proxy');
    const { exports: proxy, saveCache } = loadProxyCore();
    const user = userOption(args) ?? required(args, 'user');
    const publicKey = await proxy.readPublicKeyLine(required(args, 'public-key'));
    const { connectionType, endpointId, endpoint, connectTimeoutSeconds } = connectionOptions(args);
    const privateAddress = stringOption(args, 'private-address') as PrivateAddressPolicy | undefined;
    if (privateAddress !== undefined && !policies.includes(privateAddress)) {
      throw new ProductError('badInput', `--private-address ${privateAddress}: use one of ${policies.join(', ')}.`);
    }
    const log = stderrLogger(args.options.debug === true);
    const steps = proxy.proxySteps({
      instanceId,
      region,
      profile,
      user,
      port: portOption(args) ?? defaultSettings.port,
      publicKey,
      endpoint,
      connectionType: connectionType ?? (privateAddress ? connectionTypeOf(privateAddress) : defaultSettings.connectionType),
      endpointId,
      connectTimeoutSeconds,
      log,
    });
    // The code cache is written (the first time) once the relay has started: it then holds everything the proxy compiled.
    await proxy.runProxy(steps, { input: process.stdin, output: process.stdout, log, onRelaying: () => setImmediate(saveCache) });
    return 0;
  },
};
