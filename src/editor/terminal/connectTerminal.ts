import { type Ec2Instance, instanceLabel } from '../../core/aws/model';
import { checkConnectable } from '../../core/connect/connectable';
import { describeFailure } from '../../core/errors/describe';
import { planRoute } from '../../core/transport/address';
import { confirmAndCreateEndpoint } from '../actions/createEndpoint';
import { ConnectAttempt } from '../failures/connectAttempt';
import { connectFailed } from '../failures/connectFailure';
import { instanceContext } from '../failures/instanceContext';
import { reportFailure } from '../failures/reportFailure';
import { pickOsUser } from '../pickers/pickOsUser';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import { TerminalSession } from './terminalSession';

/**
 * Connect in the editor: a terminal named after the instance with a shell on it. What can be known
 * without the network (Windows, not running, no usable address) is a notification before any terminal
 * opens; everything after (key push, SSH) happens in the terminal, whose failures also become
 * notifications with their actions (Retry and Choose Another User reconnect in the same terminal).
 * The shell is a channel on the instance's shared connection (the pool's): a second terminal or a forwarded
 * port on the same instance and user needs no new key or tunnel.
 */
export async function openConnectTerminal(services: Services, instance: Ec2Instance): Promise<void> {
  let operation = 'connect';
  try {
    checkConnectable(instance);
    const plan = planRoute(instance, services.connector().connectionTypeFor(instance.instanceId));
    // Known from the listing (the lookup is shared): a VPC without an endpoint is said before a terminal opens.
    operation = 'DescribeInstanceConnectEndpoints';
    if (plan.kind === 'eice') await services.connector().endpoints.forInstance(instance);
  } catch (err) {
    await reportFailure(services, err, instanceContext(instance, operation), {
      startInstance: () => services.ui.executeCommand(commandIds.startInstance, instance),
      openRdpTunnel: () => services.ui.executeCommand(commandIds.openRdpTunnel, instance),
      createEndpoint: async () => {
        if (await confirmAndCreateEndpoint(services, instance)) await openConnectTerminal(services, instance);
      },
    });
    return;
  }

  const pool = services.pool();
  const connection = new ConnectAttempt(instance);

  services.ui.openTerminal(instanceLabel(instance), (output) => {
    const session: TerminalSession = new TerminalSession(
      async ({ size, attempt, status, signal }) => {
        const { channel, target: reached } = await pool.openShell(
          {
            instance: connection.instance,
            // A reconnect looks the instance up again: a stop and start changes its address.
            refresh: attempt > 0,
            chooseOsUser: (i) => pickOsUser(services, i),
            onConnecting: (t, shared) => {
              connection.connecting(t);
              const through = t.endpoint ? ` through EC2 Instance Connect Endpoint ${t.endpoint.id}` : '';
              const where = `${t.osUser}@${t.host} (${t.instance.instanceId})${through}`;
              status(shared ? `Opening a shell on ${where}, on its open connection…` : `Connecting to ${where}…`);
            },
            signal,
          },
          size,
        );
        connection.connecting(reached);
        return channel;
      },
      {
        ...output,
        describe: (err) => describeFailure(err, connection.context()).message,
        failed: (err) => void connectFailed(services, err, connection.context(), connection.instance, () => session.reconnect()),
      },
    );
    return session;
  });
}
