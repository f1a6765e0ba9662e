import { join } from 'node:path';

import { isInstanceId } from '../core/aws/model';
import { resolveRegion } from '../core/aws/region';
import { defaultSettings } from '../core/base/settings';
import type { ConnectRequest } from '../core/connect/connector';
import { validateOsUser } from '../core/connect/osUser';
import { ProductError } from '../core/errors/productError';
import type { FailureContext } from '../core/errors/types';
import type { ForwardSpec } from '../core/forward/forwardSpec';
import type { ChannelEnd, PtySize, TerminalChannel } from '../core/ssh/channel';
import { type ParsedArgs, positionalInstanceId, stringOption, stringsOption, wholeNumberOption } from './args';
import { cliConfigDir } from './configDir';
import { connectionOptions, connectionOptionSpec, connectionOptionsUsage } from './connectionOptions';
import { forwardDescription, type ForwardSession, forwardSession, forwardSpecs, reportForwardChanges, startForwards, startWarning } from './forwarding';
import { stderrLogger } from './logger';
import type { CliCommand } from './main';
import { askMfaCodeOnTerminal } from './mfaPrompt';
import { JsonFileStore } from './stateFile';
import { printToStderr } from './stderr';

type Core = Parameters<CliCommand['run']>[1];

export const sshUsage = `Usage: ec2ic ssh <instance-id> [--user U] [--region R] [--profile P] [--port N]
                 [--connection-type auto|direct|privateAddress|eice] [--eice-id ID] [--endpoint URL]
                 [--connect-timeout S] [-- command…]
       ec2ic ssh <instance-id> -L [bind_address:]port:host:hostport [-L …] [options] [-- command…]

Opens a shell on an EC2 instance, or runs a command on it, with a one-time key pushed by
EC2 Instance Connect (SendSSHPublicKey). Nothing else is needed: no OpenSSH, no key files.

  <instance-id>   i-0123456789abcdef0
  --user U        The OS user to log in as. Default: the one chosen before for this instance, else
                  the default user of its image (ec2-user, ubuntu, admin, centos, fedora, bitnami, …),
                  else ec2-user.
  --region R      Default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region.
  --profile P     Default: AWS_PROFILE, or the default credential chain.
  --port N        The instance's SSH port. Default: 22.
${connectionOptionsUsage}
  -L F, --local-forward F
                  Forward a local port while the shell or command runs, as ssh -L does. F is
                  [bind_address:]port:host:hostport: connections to port on this computer (bind_address:
                  default 127.0.0.1) go to host:hostport as the instance reaches it (localhost: the instance
                  itself). Port 0 takes any free port. Repeat for more. The forwards share the shell's SSH
                  connection, and end with it; each is said on stderr before the shell starts (ec2ic:
                  forwarding 127.0.0.1:8080 → localhost:80 on …). A local port in use, or an instance that
                  does not allow forwarding, fails before the shell starts. Without a shell: ec2ic forward.
  --debug         Log each step on stderr.
  -- command…     Run the command instead of a shell (without a terminal, like ssh); its output goes to
                  stdout and stderr, and ec2ic exits with its exit status.

AWS CLI v2's names for the same options work too: --instance-id ID, --os-user U, --ssh-port N,
--local-forwarding F (its --connection-type values auto, direct and eice are among the above).

A private instance is reached through an EC2 Instance Connect Endpoint in its VPC (a WebSocket tunnel;
the instance needs no public address). HTTPS_PROXY and NO_PROXY apply to the tunnel.
Its host key is trusted on first use and checked on every later connection (see forget-host-key).
Trusted host keys and chosen users are kept in ${join('<config dir>', 'state.json')}: $XDG_CONFIG_HOME/ec2ic
(or ~/.config/ec2ic; %APPDATA%\\ec2ic on Windows).

Exit status: the command's or the shell's; 255 when the connection is lost; 1 when connecting (or a
forward) fails; 141 when the reader of the output closes it early (as for \`ls | head\`).`;

/** Where the CLI keeps trusted host keys and chosen OS users. */
export function cliStatePath(): string {
  return join(cliConfigDir(), 'state.json');
}

/** Options shared by the CLI commands that act on one instance. */
export async function instanceOptions(args: ParsedArgs, core: Core, command = 'ssh'): Promise<{ instanceId: string; region: string; profile?: string }> {
  const instanceId = instanceIdArgument(args, command);
  return { instanceId, ...(await profileAndRegion(args, core)) };
}

/** The instance id a command is given: missing and malformed are said apart, for every command alike. */
export function instanceIdArgument(args: ParsedArgs, command: string): string {
  const instanceId = args.positionals[0];
  if (!instanceId) throw new ProductError('badInput', `Name the instance: ec2ic ${command} i-0123456789abcdef0 (see ec2ic ${command} --help).`);
  return checkedInstanceId(instanceId);
}

/** An instance id as typed: refused, in words, when it is not one. */
export function checkedInstanceId(text: string): string {
  if (!isInstanceId(text)) throw new ProductError('badInput', `"${text}" is not an instance id. Instance ids look like i-0123456789abcdef0.`);
  return text;
}

/** --profile (else AWS_PROFILE) and --region (else the environment's, else the profile's), checked against the config files. */
export async function profileAndRegion(args: ParsedArgs, core: Core): Promise<{ region: string; profile?: string }> {
  const profile = stringOption(args, 'profile') ?? (process.env.AWS_PROFILE || undefined);
  const explicit = stringOption(args, 'region');
  const profiles = explicit ? undefined : await core.loadProfiles();
  const named = profiles?.find((p) => p.name === (profile ?? 'default'));
  if (profiles && profile && !named) {
    throw new ProductError(
      'unknownProfile',
      `There is no AWS profile "${profile}" in ~/.aws/config or ~/.aws/credentials${profiles.some((p) => p.name) ? ` (there are: ${profiles.flatMap((p) => p.name ?? []).join(', ')})` : ''}. Check --profile or AWS_PROFILE.`,
    );
  }
  const region = resolveRegion({ explicit, profileRegion: named?.region });
  if (!region) {
    throw new ProductError(
      'noRegion',
      `No region is set${profile ? ` for profile "${profile}"` : ''}. Pass --region, set AWS_REGION, or add "region = …" to the profile in ~/.aws/config.`,
    );
  }
  return { region, profile };
}

export const sshCommand: CliCommand = {
  name: 'ssh',
  summary: 'Open a shell on an instance, or run a command on it',
  usage: sshUsage,
  commandLine: {
    options: { user: { type: 'string' }, port: { type: 'string' }, 'local-forward': { type: 'string', short: 'L', multiple: true }, ...connectionOptionSpec },
    rest: true,
    // `aws ec2-instance-connect ssh`'s names for the same things.
    aliases: { 'instance-id': positionalInstanceId, 'os-user': 'user', 'ssh-port': 'port', 'local-forwarding': 'local-forward' },
  },
  run: async (args, core) => {
    const specs = forwardSpecs(stringsOption(args, 'local-forward'));
    const { instanceId, region, profile } = await instanceOptions(args, core);
    const osUser = userOption(args);
    const port = portOption(args);
    const { connectionType, endpointId, endpoint, connectTimeoutSeconds } = connectionOptions(args);
    const command = args.rest.join(' ');
    if (!command && !process.stdin.isTTY) {
      throw new ProductError('badInput', 'A shell needs a terminal, and stdin is not one. Pass a command after --, e.g. ec2ic ssh i-… -- uptime.');
    }

    const request: ConnectRequest = { instance: { instanceId, region, profile }, osUser, port, connectionType, endpointId };
    const ctx: FailureContext = { operation: 'connect', instanceId, region, profile, osUser, port };

    if (specs.length) {
      const session = forwardSession(core, { store: await JsonFileStore.open(cliStatePath()), endpoint, connectTimeoutSeconds, port, debug: args.options.debug === true });
      try {
        return await sshWithForwards(session, specs, request, command);
      } catch (err) {
        throw withContext(err, ctx);
      } finally {
        await session.close();
      }
    }

    const log = stderrLogger(args.options.debug === true);
    const aws = new core.AwsClients({ endpoint, mfaCodeProvider: askMfaCodeOnTerminal });
    const connector = new core.Connector({
      aws: () => aws,
      store: await JsonFileStore.open(cliStatePath()),
      settings: () => ({ ...defaultSettings, connectTimeoutSeconds }),
      log,
    });
    try {
      if (command) {
        const { channel } = await connector.exec(request, command);
        return await runCommand(channel);
      }
      const { channel } = await connector.openShell(request, terminalSize());
      return await runShell(channel);
    } catch (err) {
      throw withContext(err, ctx);
    } finally {
      // Lets the process exit: the SDK keeps connections open for reuse.
      aws.reset();
    }
  },
};

/**
 * `ssh -L`: the forwards start first on the instance's connection (each said on stderr), then the shell or
 * command opens on the same connection; its end is the command's end, and the caller stops the forwards.
 */
async function sshWithForwards(session: ForwardSession, specs: ForwardSpec[], request: ConnectRequest, command: string): Promise<number> {
  const instance = await session.connector.resolveInstance(request.instance);
  const { osUser, connectionType, endpointId } = request;
  const forwards = await startForwards(session.forwards, specs, { instance, osUser, connectionType, endpointId });
  for (const forward of forwards) {
    printToStderr(`ec2ic: forwarding ${forwardDescription(forward)}`);
    const warning = startWarning(forward);
    if (warning) printToStderr(`ec2ic: ${warning}`);
    reportForwardChanges(forward, (line) => printToStderr(`ec2ic: ${line}`), { reconnects: false });
  }
  const shared: ConnectRequest = { ...request, instance };
  if (command) return runCommand((await session.pool.exec(shared, command)).channel);
  return runShell((await session.pool.openShell(shared, terminalSize())).channel);
}

/** --user, checked the way the instance would check it; undefined when not given. */
export function userOption(args: ParsedArgs): string | undefined {
  const osUser = stringOption(args, 'user');
  const problem = osUser === undefined ? undefined : validateOsUser(osUser);
  if (problem) throw new ProductError('badInput', `--user ${osUser}: ${problem}`);
  return osUser;
}

export function portOption(args: ParsedArgs): number | undefined {
  return wholeNumberOption(args, 'port', 1, 65535, 'a port');
}

/** cli.ts describes a failure with the context it carries. */
export function withContext(err: unknown, ctx: FailureContext): unknown {
  return typeof err === 'object' && err !== null ? Object.assign(err, { failureContext: ctx }) : err;
}

export function terminalSize(): PtySize {
  return { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 };
}

/** Output to stdout/stderr, pausing the channel while a slow reader (a pipe) catches up. */
export function pipeOutput(channel: TerminalChannel): void {
  channel.onData((data, stream) => {
    const out = stream === 'stderr' ? process.stderr : process.stdout;
    if (!out.write(data)) {
      channel.pause();
      out.once('drain', () => channel.resume());
    }
  });
}

export function exitStatus(end: ChannelEnd): number {
  if (end.kind === 'exit') return end.code;
  printToStderr(`ec2ic: ${end.error.message}`);
  return 255;
}

/** A command: stdin goes to it until end-of-file; its exit status is ours. */
function runCommand(channel: TerminalChannel): Promise<number> {
  return new Promise((resolve) => {
    const onInput = (data: Buffer) => channel.write(data);
    const onInputEnd = () => channel.endInput();
    process.stdin.on('data', onInput).on('end', onInputEnd);
    pipeOutput(channel);
    channel.onEnd((end) => {
      process.stdin.off('data', onInput).off('end', onInputEnd).pause();
      resolve(exitStatus(end));
    });
  });
}

/** An interactive shell: the terminal in raw mode (Ctrl-C goes to the instance), resizes forwarded. */
function runShell(channel: TerminalChannel): Promise<number> {
  return new Promise((resolve) => {
    const onInput = (data: Buffer) => channel.write(data);
    const onResize = () => channel.resize(terminalSize());
    process.stdin.setRawMode(true);
    process.stdin.on('data', onInput).resume();
    process.stdout.on('resize', onResize);
    pipeOutput(channel);
    channel.onEnd((end) => {
      process.stdin.off('data', onInput).setRawMode(false).pause();
      process.stdout.off('resize', onResize);
      resolve(exitStatus(end));
    });
  });
}
