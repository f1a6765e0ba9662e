import { plainText } from '../core/base/sanitize';
import { instanceDescription } from '../core/errors/activity';
import type { FailureContext } from '../core/errors/types';
import { UsageError } from './args';
import { connectionOptions, connectionOptionSpec, connectionOptionsUsage } from './connectionOptions';
import { forwardSession, forwardSpecs, forwardText, reportForwardChanges, startForwards, startWarning } from './forwarding';
import type { CliCommand } from './main';
import { cliStatePath, instanceIdArgument, instanceOptions, portOption, userOption, withContext } from './ssh';
import { JsonFileStore } from './stateFile';
import { printToStderr } from './stderr';

export const forwardUsage = `Usage: ec2ic forward <instance-id> [bind_address:]port:host:hostport… [--user U] [--region R]
                     [--profile P] [--port N] [--connection-type auto|direct|privateAddress|eice]
                     [--eice-id ID] [--endpoint URL] [--connect-timeout S]

Forwards local ports to ports the instance reaches, as 'ssh -N -L' does, over one SSH connection made with a
one-time key pushed by EC2 Instance Connect. It prints each local address on stdout, one line per forward
(127.0.0.1:18080 → localhost:8080), and stays in the foreground until Ctrl-C (or SIGTERM).

  <instance-id>   i-0123456789abcdef0
  port:host:hostport
                  A forward in OpenSSH's -L syntax: connections to port on this computer go to host:hostport
                  as the instance reaches it (localhost is the instance itself; a private address or a name
                  reaches another machine in its VPC). Repeat for more. A port of 0 takes any free port
                  (the one printed). IPv6 addresses go in brackets: [::1]:8080:[::1]:80.
  bind_address    Where to listen here. Default: 127.0.0.1 (this computer only); * or 0.0.0.0: every address.
  --user U        The OS user to log in as. Default: the one chosen before for this instance, else the
                  default user of its image, else ec2-user.
  --region R      Default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region.
  --profile P     Default: AWS_PROFILE, or the default credential chain.
  --port N        The instance's SSH port. Default: 22.
${connectionOptionsUsage}
  --debug         Log each step on stderr.

Each forward is tried once before its address is printed: an instance whose sshd does not allow forwarding
(AllowTcpForwarding no) or a local port in use fails at once; nothing listening on the instance's side yet
is a warning. While it runs, a refused connection, a lost connection to the instance and its reopening are
said on stderr, one line each. A lost connection opens again (a fresh key, a fresh tunnel) on the next local
connection.

Exit status: 0 after Ctrl-C; 1 when a forward cannot start; 2 for a command line that does not parse.`;

/** Resolves on Ctrl-C (SIGINT) or SIGTERM, which then end the forwards instead of the process. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
}

export const forwardCommand: CliCommand = {
  name: 'forward',
  summary: 'Forward local ports to an instance (ssh -L syntax) until Ctrl-C',
  usage: forwardUsage,
  commandLine: { options: { user: { type: 'string' }, port: { type: 'string' }, ...connectionOptionSpec }, positionals: Infinity },
  run: async (args, core) => {
    // The instance first, as every command checks it: `ec2ic forward 8080:localhost:80` is missing it.
    instanceIdArgument(args, 'forward');
    const texts = args.positionals.slice(1);
    if (!texts.length) throw new UsageError('name at least one forward after the instance id, e.g. ec2ic forward i-0123456789abcdef0 8080:localhost:80');
    const specs = forwardSpecs(texts);
    const { instanceId, region, profile } = await instanceOptions(args, core, 'forward');
    const osUser = userOption(args);
    const port = portOption(args);
    const { connectionType, endpointId, endpoint, connectTimeoutSeconds } = connectionOptions(args);

    const session = forwardSession(core, { store: await JsonFileStore.open(cliStatePath()), endpoint, connectTimeoutSeconds, port, debug: args.options.debug === true });
    const ctx: FailureContext = { operation: 'connect', instanceId, region, profile, osUser, port };
    try {
      const instance = await session.connector.resolveInstance({ instanceId, region, profile });
      const forwards = await startForwards(session.forwards, specs, { instance, osUser, connectionType, endpointId });
      // Listening for Ctrl-C before the addresses are out: a script may send it as soon as it has read them.
      const stopped = untilStopped();
      for (const forward of forwards) process.stdout.write(`${plainText(forwardText(forward))}\n`);
      for (const forward of forwards) {
        const warning = startWarning(forward);
        if (warning) printToStderr(`ec2ic: ${warning}`);
        reportForwardChanges(forward, (line) => printToStderr(`ec2ic: ${line}`), { reconnects: true });
      }
      const what = forwards.length === 1 ? forwardText(forwards[0]) : `${forwards.length} ports`;
      printToStderr(`ec2ic: forwarding ${what} on ${instanceDescription(forwards[0].instance)}. Ctrl-C stops.`);
      await stopped;
      return 0;
    } catch (err) {
      throw withContext(err, ctx);
    } finally {
      await session.close();
    }
  },
};
