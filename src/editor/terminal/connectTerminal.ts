import type { Ec2Instance } from '../../core/aws/model';
import { connectorFor } from '../services/connector';
import { describedAgain, instanceContext, instanceTitle } from '../failures/instanceFailure';
import { pickOsUser } from '../pickers/pickOsUser';
import { reportFailure } from '../failures/reportFailure';
import type { Services } from '../services/services';
import { describeFailure } from '../../core/errors/describe';
import { isProductError, type ProductError } from '../../core/errors/productError';
import type { FailureContext } from '../../core/errors/types';
import { chooseAddress } from '../../core/transport/address';
import { checkConnectable } from '../../core/connect/connectable';
import type { ConnectTarget } from '../../core/connect/connector';
import { instanceLabel } from '../tree/nodes/instanceNode';
import { TerminalSession } from './terminalSession';

/**
 * Connect in the editor: a terminal named after the instance with a shell on it. What can be known
 * without the network (Windows, not running, no usable address) is a notification before any terminal
 * opens; everything after (key push, SSH) happens in the terminal, whose failures also become
 * notifications with their actions (Retry and Choose Another User reconnect in the same terminal).
 */
export async function openConnectTerminal(services: Services, instance: Ec2Instance): Promise<void> {
  try {
    checkConnectable(instance);
    chooseAddress(instance, services.settings().usePrivateAddress);
  } catch (err) {
    await reportFailure(services, err, instanceContext(instance, 'connect'), {
      startInstance: () => services.ui.executeCommand('ec2InstanceConnect.startInstance', instance),
    });
    return;
  }

  const connector = connectorFor(services);
  let current = instance;
  let target: ConnectTarget | undefined;
  const context = (): FailureContext => ({
    ...instanceContext(current, 'connect'),
    osUser: target?.osUser,
    host: target?.host,
    port: target?.port,
  });

  services.ui.openTerminal(instanceLabel(instance), (output) => {
    const session: TerminalSession = new TerminalSession(
      async ({ size, attempt, status, signal }) => {
        const { channel, target: reached } = await connector.openShell(
          {
            instance: current,
            // A reconnect looks the instance up again: a stop and start changes its address.
            refresh: attempt > 0,
            chooseOsUser: (i) => pickOsUser(services, i),
            onConnecting: (t) => {
              target = t;
              current = t.instance;
              status(`Connecting to ${t.osUser}@${t.host} (${t.instance.instanceId})…`);
            },
            signal,
          },
          size,
        );
        target = reached;
        return channel;
      },
      {
        ...output,
        describe: (err) => describeFailure(err, context()).message,
        failed: (err) => void connectFailed(services, err, context(), current, session),
      },
    );
    return session;
  });
}

async function connectFailed(services: Services, err: unknown, ctx: FailureContext, instance: Ec2Instance, session: TerminalSession): Promise<void> {
  if (isProductError(err, 'hostKeyChanged')) return askAboutHostKey(services, err, instance, session);
  if ((err as { name?: string }).name === 'EC2InstanceStateInvalidException') {
    // The row said running, the service says otherwise: learn the real state, so the notification offers
    // Start for a stopped instance, and the view shows it.
    const now = await describedAgain(services, instance);
    if (now) {
      ctx = { ...ctx, instanceState: now.state };
      instance = now;
    }
  }
  await reportFailure(services, err, ctx, {
    retry: () => session.reconnect(),
    chooseAnotherUser: async () => {
      const connector = connectorFor(services);
      const user = await pickOsUser(services, instance, ctx.osUser);
      if (!user) return;
      await connector.osUsers.remember(instance.instanceId, user);
      session.reconnect();
    },
    startInstance: () => services.ui.executeCommand('ec2InstanceConnect.startInstance', instance),
  });
}

const trustNewKey = 'Trust New Key';

/** A changed host key: a modal with both fingerprints; Cancel (the default) keeps the terminal stopped. */
async function askAboutHostKey(services: Services, err: ProductError, instance: Ec2Instance, session: TerminalSession): Promise<void> {
  const { trustedFingerprint, trustedType, presentedFingerprint, presentedType } = err.facts;
  services.log.warn(`[connect] host key of ${instance.instanceId} changed: ${trustedFingerprint} → ${presentedFingerprint}`);
  const choice = await services.ui.showMessage('warning', `The host key of ${instanceTitle(instance)} has changed`, [trustNewKey], {
    modal: true,
    detail:
      `Trusted: ${trustedFingerprint} (${trustedType})\nNow:     ${presentedFingerprint} (${presentedType})\n\n` +
      'This happens when the instance was rebuilt or its host keys were regenerated, but it can also mean that someone is intercepting the connection. ' +
      'Trust the new key only if you expected the change.',
  });
  if (choice !== trustNewKey) return;
  await connectorFor(services).hostKeys.trust(instance.instanceId, { fingerprint: String(presentedFingerprint), type: String(presentedType) });
  session.reconnect();
}
