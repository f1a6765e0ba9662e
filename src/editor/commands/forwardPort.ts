import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import type { Lease } from '../../core/connect/connectionPool';
import { isProductError } from '../../core/errors/productError';
import type { Forward } from '../../core/forward/forward';
import { hostPort } from '../../core/forward/forwardSpec';
import { ConnectAttempt, leaseWithProgress, reconnectActions } from '../failures/connectAttempt';
import { reportFailure } from '../failures/reportFailure';
import { instanceArgument } from '../pickers/pickInstance';
import { askLocalPort, suggestLocalPort } from '../pickers/pickLocalPort';
import { pickRemoteSide, type RemoteSide } from '../pickers/pickRemoteSide';
import { commandIds } from '../services/commandIds';
import { forwardInstanceTitle, forwardLabel } from '../services/forwardText';
import type { Services } from '../services/services';
import type { CommandDefinition } from './command';

/**
 * Forward a Port…: `ssh -L` on the instance's shared connection (the one its terminals use). Asks for the remote
 * side (its listening ports, or typed: `8080`, `db.internal:5432`), then the local port (the same one when free).
 */
export const forwardPort: CommandDefinition = {
  id: commandIds.forwardPort,
  run: async (services, arg) => {
    const instance = await instanceArgument(services, instanceOfForwardsRow(arg) ?? arg, {
      title: 'Forward a port of an instance',
      filter: (i) => i.state === 'running' && i.platform === 'linux',
    });
    await forwardPortOf(services, instance);
  },
};

/** The "Forwarded ports" row of an instance stands for the instance. */
function instanceOfForwardsRow(arg: unknown): Ec2Instance | undefined {
  const row = arg as { kind?: unknown; instance?: Ec2Instance } | undefined;
  return typeof row === 'object' && row !== null && row.kind === 'forwards' ? row.instance : undefined;
}

/** What was asked already: a retry or another port asks only what is left. */
interface Chosen {
  remote?: RemoteSide;
  localPort?: number;
}

/**
 * Connects first (so a stopped instance, a refused key or a missing endpoint is said before anything is asked,
 * and the listing and the forward share the connection), then asks, then forwards. Failures are notifications
 * whose actions ask again only what they change. Resolves to the forward, or undefined when it did not start.
 */
export async function forwardPortOf(services: Services, instance: Ec2Instance, chosen: Chosen = {}): Promise<Forward | undefined> {
  const bind = services.forwardSettings().bindAddress;
  const attempt = new ConnectAttempt(instance);
  let { remote, localPort } = chosen;

  let lease: Lease | undefined;
  let failure: unknown;
  try {
    lease = await leaseWithProgress(services, attempt);
    const current = attempt.instance;
    const { osUser } = lease.target;
    const title = instanceTitle(current);
    const side = (remote ??= await pickRemoteSide(services, current, (signal) => services.forwards().listeningPorts({ instance: current, osUser, signal }), attempt.context()));
    if (localPort === undefined) {
      const suggested = await suggestLocalPort(services, bind, side.port);
      localPort = await askLocalPort(services, {
        bind,
        title: `Forward ${hostPort(side.host, side.port)} of ${title} to this computer`,
        suggested,
        taken: suggested === side.port ? undefined : side.port,
      });
    }
    const spec = { bindAddress: bind, localPort, remoteHost: side.host, remotePort: side.port };
    const forward = await services.ui.withProgress(`Forwarding ${hostPort(side.host, side.port)} of ${title}…`, () =>
      services.forwards().forwardPort({ instance: current, spec, osUser }),
    );
    void announce(services, forward);
    return forward;
  } catch (err) {
    failure = err;
  } finally {
    // The forward holds the connection now (or nothing does): it lingers for the next terminal or forward.
    lease?.release();
  }
  if (isProductError(failure, 'cancelled')) return undefined;
  const current = attempt.instance;
  const again = (next: Chosen) => forwardPortOf(services, current, next);
  await reportFailure(services, failure, attempt.context(), {
    ...reconnectActions(services, current, attempt.target?.osUser, () => again({ remote, localPort })),
    retry: () => again({ remote, localPort }),
    chooseAnotherPort: async () => {
      if (!remote) return again({});
      const port = await askLocalPort(services, {
        bind,
        title: `Forward ${hostPort(remote.host, remote.port)} of ${instanceTitle(current)} to this computer`,
        suggested: await suggestLocalPort(services, bind, remote.port),
        taken: localPort,
      });
      return again({ remote, localPort: port });
    },
  });
  return undefined;
}

const openInBrowser = 'Open in Browser';
const copyAddress = 'Copy Local Address';

/** Says that it runs (and what is wrong on the instance's side, when its first try was refused), with Open and Copy. */
async function announce(services: Services, forward: Forward): Promise<void> {
  const what = `Forwarding ${forwardLabel(forward)} on ${forwardInstanceTitle(forward.instance)}.`;
  const actions = [openInBrowser, copyAddress];
  const choice = forward.problem
    ? await services.ui.showMessage('warning', `${what} ${forward.problem}`, actions)
    : await services.ui.showMessage('info', what, actions);
  if (choice === openInBrowser) await services.ui.executeCommand(commandIds.openForwardInBrowser, forward);
  else if (choice === copyAddress) await services.ui.executeCommand(commandIds.copyForwardAddress, forward);
}
