import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import { oneLine } from '../../core/base/sanitize';
import { describeFailure } from '../../core/errors/describe';
import { cancelled, isProductError } from '../../core/errors/productError';
import type { FailureContext } from '../../core/errors/types';
import { hostPort } from '../../core/forward/forwardSpec';
import type { ListeningPort } from '../../core/forward/listeningPorts';
import { inert } from '../services/forwardText';
import type { Services } from '../services/services';
import type { LivePickItem } from '../services/ui';

export interface RemoteSide {
  host: string;
  port: number;
}

/** Listening on one of these, a port is reached as `localhost` on the instance. */
const everywhereOrLoopback = new Set(['0.0.0.0', '::', '127.0.0.1', '::1']);

/** A listening port as a pick item: the port, its process (untrusted: plain and inert), the addresses it listens on. */
export function listeningPortItem(port: ListeningPort): LivePickItem<RemoteSide> {
  const loopbackOnly = port.addresses.every((a) => a === '127.0.0.1' || a === '::1');
  const host = port.addresses.some((a) => everywhereOrLoopback.has(a)) ? 'localhost' : (port.addresses[0] ?? 'localhost');
  const process = port.process ? inert(oneLine(port.process, 64)) : undefined;
  return {
    label: `$(plug) ${port.port}`,
    description: [process, loopbackOnly ? 'this instance only' : undefined].filter(Boolean).join(' · ') || undefined,
    detail: `Listening on ${port.addresses.map((a) => hostPort(a, port.port)).join(', ')}`,
    value: { host, port: port.port },
  };
}

/** What was typed, parsed as the instance sees it: `8080`, `localhost:8080`, `db.internal:5432`; a hint when it is not one. */
export function typedRemoteItem(text: string, parse: (text: string) => RemoteSide): LivePickItem<RemoteSide> | undefined {
  if (!text.trim()) return undefined;
  try {
    const remote = parse(text);
    const where = remote.host === 'localhost' ? `port ${remote.port} of the instance` : `${hostPort(remote.host, remote.port)} as the instance reaches it`;
    return { label: `$(arrow-right) Forward ${inert(oneLine(hostPort(remote.host, remote.port), 300))}`, detail: `Forward ${inert(oneLine(where, 300))}`, value: remote };
  } catch (err) {
    const message = isProductError(err) ? err.message : String(err);
    return { label: '$(warning) Not a port', detail: inert(oneLine(message, 300)), acceptable: false, value: { host: '', port: 0 } };
  }
}

/**
 * The remote side of a forward: one of the instance's listening TCP ports (listed while the pick is open, with
 * their processes where the instance tells), or a port or host:port typed in. Throws `cancelled()` when dismissed.
 */
export async function pickRemoteSide(
  services: Services,
  instance: Ec2Instance,
  listening: (signal: AbortSignal) => Promise<ListeningPort[]>,
  ctx: FailureContext,
): Promise<RemoteSide> {
  const none: RemoteSide = { host: '', port: 0 };
  const chosen = await services.ui.pickLive<RemoteSide>({
    title: `Forward a port of ${instanceTitle(instance)}`,
    placeholder: 'Type a port (8080), or host:port as the instance reaches it (db.internal:5432)',
    typedItem: (text) => typedRemoteItem(text, services.core().parseRemoteSide),
    load: async (update, signal) => {
      update([{ label: '$(loading~spin) Listing the ports it listens on…', acceptable: false, value: none }]);
      try {
        const ports = await listening(signal);
        if (ports.length) update(ports.map(listeningPortItem));
        else update([{ label: '$(info) Nothing listens on a TCP port there', detail: 'Type the port to forward: it can start listening later.', acceptable: false, value: none }]);
      } catch (err) {
        if (signal.aborted) return;
        services.log.child('forward').warn(`could not list the ports of ${instance.instanceId}: ${describeFailure(err, ctx).message}`);
        update([{ label: '$(warning) Could not list its ports', detail: inert(oneLine(describeFailure(err, ctx).message, 300)), acceptable: false, value: none }]);
      }
    },
  });
  if (!chosen) throw cancelled();
  return chosen;
}
