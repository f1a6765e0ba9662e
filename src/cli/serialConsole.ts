import { defaultSettings, type Settings } from '../core/base/settings';
import { serialConsoleGreeting, serialConsoleTeardownSeconds } from '../core/connect/serialConsoleText';
import { ProductError } from '../core/errors/productError';
import type { FailureContext } from '../core/errors/types';
import type { TerminalChannel } from '../core/ssh/channel';
import { type ParsedArgs, stringOption } from './args';
import { connectTimeoutOption } from './connectionOptions';
import { EscapeSequence } from './escapeSequence';
import { stderrLogger } from './logger';
import type { CliCommand } from './main';
import { askMfaCodeOnTerminal } from './mfaPrompt';
import { cliStatePath, exitStatus, instanceOptions, pipeOutput, terminalSize, withContext } from './ssh';
import { JsonFileStore } from './stateFile';

export const serialConsoleUsage = `Usage: ec2ic serial-console <instance-id> [--region R] [--profile P] [--connect-timeout S]

Opens the EC2 serial console of an instance: the way in when SSH does not work (a broken network
configuration, a boot that stops, a firewall on the instance). A one-time key is pushed with
SendSerialConsoleSSHPublicKey, then ec2ic connects to the region's serial console endpoint, whose
host key must match the fingerprint AWS publishes for that region.

  <instance-id>      i-0123456789abcdef0: a running instance of a Nitro-based type
  --region R         Default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region.
  --profile P        Default: AWS_PROFILE, or the default credential chain.
  --endpoint H[:P]   Another serial console endpoint (a proxy, a test endpoint). Default: the region's.
  --fingerprint F    The SHA256 host key fingerprint the endpoint must present. Default: the one AWS
                     publishes for the region (with --endpoint and no --fingerprint: trusted on first use).
  --connect-timeout S  Seconds each stage of connecting may take (TCP, the SSH handshake, authentication). Default: 15.
  --debug            Log each step on stderr.

The console shows nothing until you press Enter. Type ~. at the start of a line to end the session
(~~ sends a ~); without a terminal, the end of stdin ends it. One session per instance at a time:
a new one can start about ${serialConsoleTeardownSeconds} seconds after one ends. The account must have the serial console
enabled in the region (EC2 console: Settings, EC2 Serial Console).

Exit status: 0 when you end the session; 255 when the connection is lost; 1 when connecting fails.`;

export const serialConsoleCommand: CliCommand = {
  name: 'serial-console',
  summary: "Open an instance's serial console",
  usage: serialConsoleUsage,
  commandLine: { options: { endpoint: { type: 'string' }, fingerprint: { type: 'string' }, 'connect-timeout': { type: 'string' } } },
  run: async (args, core) => {
    const { instanceId, region, profile } = await instanceOptions(args, core, 'serial-console');
    const settings: Settings = { ...defaultSettings, serialConsole: serialConsoleOptions(args), connectTimeoutSeconds: connectTimeoutOption(args) };
    const log = stderrLogger(args.options.debug === true);
    const aws = new core.AwsClients({ mfaCodeProvider: askMfaCodeOnTerminal });
    const store = await JsonFileStore.open(cliStatePath());
    const connector = new core.Connector({ aws: () => aws, store, settings: () => settings, log });
    const serial = new core.SerialConsoleConnector({
      aws: () => aws,
      store,
      settings: () => settings,
      log,
      resolveInstance: (ref, refresh, signal) => connector.resolveInstance(ref, refresh, signal),
    });
    const ctx: FailureContext = { operation: 'serialConsole', instanceId, region, profile };
    try {
      const { channel, instance } = await serial.open({
        instance: { instanceId, region, profile },
        size: terminalSize(),
        onStatus: (line) => process.stderr.write(`${line}\n`),
      });
      for (const line of serialConsoleGreeting(instance, 'type ~. at the start of a line')) process.stderr.write(`${line}\n`);
      return await runConsole(channel);
    } catch (err) {
      throw withContext(err, ctx);
    } finally {
      // Lets the process exit: the SDK keeps connections open for reuse.
      aws.reset();
    }
  },
};

function serialConsoleOptions(args: ParsedArgs): Settings['serialConsole'] {
  const out = { ...defaultSettings.serialConsole, fingerprint: stringOption(args, 'fingerprint') ?? '' };
  const endpoint = stringOption(args, 'endpoint');
  if (endpoint === undefined) return out;
  const { host, port } = hostAndPort(endpoint, '--endpoint');
  return { ...out, endpoint: host, port };
}

/** `host`, `host:port` or `[v6 address]:port` (port 22 when none is given), as --endpoint and forget-host-key take it. */
export function hostAndPort(text: string, option: string): { host: string; port: number } {
  const match = /^([^:\s]+|\[[0-9a-fA-F:.]+\])(?::(\d+))?$/.exec(text);
  const port = match?.[2] === undefined ? 22 : Number(match[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ProductError('badInput', `${option} ${text}: give a host name or address, and optionally :port (1 to 65535).`);
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * The console in this terminal: raw mode (Ctrl-C, arrows and function keys go to the instance), resizes
 * forwarded, `~.` ends the session. Without a terminal, stdin is passed through until it ends.
 */
function runConsole(channel: TerminalChannel): Promise<number> {
  return new Promise((resolve) => {
    const escape = new EscapeSequence();
    const tty = process.stdin.isTTY === true;
    let finished = false;
    const finish = (status: number) => {
      if (finished) return;
      finished = true;
      process.stdin.off('data', onInput).off('end', onInputEnd);
      if (tty) process.stdin.setRawMode(false);
      // A paused stdin pipe still holds the process open; nothing reads it any more.
      process.stdin.pause().unref();
      process.stdout.off('resize', onResize);
      resolve(status);
    };
    const endHere = () => {
      channel.close();
      process.stderr.write('\r\nSerial console session ended.\r\n');
      finish(0);
    };
    const onInput = (data: Buffer) => {
      const { send, end } = escape.feed(data);
      if (send.length) channel.write(send);
      if (end) endHere();
    };
    const onInputEnd = () => endHere();
    const onResize = () => channel.resize(terminalSize());
    if (tty) process.stdin.setRawMode(true);
    process.stdin.on('data', onInput).on('end', onInputEnd).resume();
    process.stdout.on('resize', onResize);
    pipeOutput(channel);
    channel.onEnd((end) => finish(exitStatus(end)));
  });
}
