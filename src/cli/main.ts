import { describeThrown } from '../core/base/log';
import type { FailureContext } from '../core/errors/types';
import { lazyCore, type loadCore } from '../core/load';
import { type CommandLine, parseCommandLine, type ParsedArgs, UsageError } from './args';
import { cliMessage } from './cliHints';
import { closedOutputStatus, endQuietlyWhenOutputCloses } from './closedOutput';
import { forgetHostKeyCommand } from './forgetHostKey';
import { forwardCommand } from './forward';
import { listCommand } from './list';
import { openTunnelCommand } from './openTunnel';
import { proxyCommand } from './proxy';
import { serialConsoleCommand } from './serialConsole';
import { sshCommand } from './ssh';
import { sshConfigCommand } from './sshConfig';
import { printToStderr } from './stderr';

/** One `ec2ic` subcommand. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Its options (besides --profile, --region, --debug, --help) and arguments. */
  commandLine?: CommandLine;
  run(args: ParsedArgs, core: ReturnType<typeof loadCore>): Promise<number>;
}

const cliCommands: CliCommand[] = [listCommand, sshCommand, forwardCommand, serialConsoleCommand, forgetHostKeyCommand, sshConfigCommand, proxyCommand, openTunnelCommand];

function usage(): string {
  const lines = cliCommands.map((c) => `  ${c.name.padEnd(16)}${c.summary}`);
  return [
    'ec2ic: EC2 Instance Connect from a shell, with nothing else installed.',
    '',
    'Usage: ec2ic <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Common options: --profile P, --region R, --debug (stack traces and a log on stderr).',
    'Credentials and endpoints come from the usual AWS environment (AWS_PROFILE, AWS_ENDPOINT_URL, ~/.aws).',
    "Run 'ec2ic <command> --help' for a command's options.",
    `Exit status ${closedOutputStatus} when the reader of the output closes it early (as for \`ls | head\`, killed by SIGPIPE).`,
  ].join('\n');
}

/** Runs the CLI; failures print the same plain message as the editor's notifications, and exit 1; a usage error exits 2. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = cliCommands.find((c) => c.name === name);
  if (!command) {
    printToStderr(`ec2ic: unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const usageFailure = (err: UsageError) => {
    printToStderr(`ec2ic ${command.name}: ${err.message}. Run 'ec2ic ${command.name} --help' for its options.`);
    return 2;
  };
  let args: ParsedArgs;
  try {
    args = parseCommandLine(rest, command.commandLine ?? {});
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return usageFailure(err);
  }
  if (args.options.help) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, lazyCore);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(err);
    const ctx: FailureContext = (err as { failureContext?: FailureContext }).failureContext ?? { operation: name };
    printToStderr(`ec2ic: ${cliMessage(err, ctx)}`);
    // The stack starts with the error's own message (a credential_process's stderr, AWS's words): redacted too.
    if (args.options.debug) printToStderr(err instanceof Error && err.stack ? err.stack : describeThrown(err));
    return 1;
  }
}

if (require.main === module) {
  // The SDK's notice about future Node versions is for developers; on every command it would bury the output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  endQuietlyWhenOutputCloses();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
