import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import { isProductError, type ProductError } from '../../core/errors/productError';
import type { FailureContext } from '../../core/errors/types';
import { describedAgain } from '../actions/describedAgain';
import type { Services } from '../services/services';
import { reconnectActions } from './connectAttempt';
import { reportFailure } from './reportFailure';

/**
 * A Connect that failed in its terminal: a notification whose actions fix it and reconnect in the same terminal
 * (Retry, Choose Another User, Start Instance, Create Instance Connect Endpoint…), or for a changed host key the modal that asks about it.
 */
export async function connectFailed(services: Services, err: unknown, ctx: FailureContext, instance: Ec2Instance, reconnect: () => void): Promise<void> {
  if (isProductError(err, 'hostKeyChanged')) return askAboutHostKey(services, err, instance, reconnect);
  if ((err as { name?: string }).name === 'EC2InstanceStateInvalidException') {
    // The row said running, the service says otherwise: learn the real state, so the notification offers
    // Start for a stopped instance, and the view shows it.
    const now = await describedAgain(services, instance);
    if (now) {
      ctx = { ...ctx, instanceState: now.state };
      instance = now;
    }
  }
  await reportFailure(services, err, ctx, { ...reconnectActions(services, instance, ctx.osUser, reconnect), retry: reconnect });
}

const trustNewKey = 'Trust New Key';

/** A changed host key: a modal with both fingerprints; Cancel (the default) keeps the terminal stopped. */
async function askAboutHostKey(services: Services, err: ProductError, instance: Ec2Instance, reconnect: () => void): Promise<void> {
  const { trustedFingerprint, trustedType, presentedFingerprint, presentedType } = err.facts;
  services.log.child('connect').warn(`host key of ${instance.instanceId} changed: ${trustedFingerprint} → ${presentedFingerprint}`);
  const choice = await services.ui.showMessage('warning', `The host key of ${instanceTitle(instance)} has changed`, [trustNewKey], {
    modal: true,
    detail:
      `Trusted: ${trustedFingerprint} (${trustedType})\nNow:     ${presentedFingerprint} (${presentedType})\n\n` +
      'This happens when the instance was rebuilt or its host keys were regenerated, but it can also mean that someone is intercepting the connection. ' +
      'Trust the new key only if you expected the change.',
  });
  if (choice !== trustNewKey) return;
  await services.connector().hostKeys.trust(instance.instanceId, { fingerprint: String(presentedFingerprint), type: String(presentedType) });
  reconnect();
}
