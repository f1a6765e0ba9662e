import { oneLine } from '../../core/base/sanitize';
import type { Forward, ForwardInstance } from '../../core/forward/forward';
import { hostPort } from '../../core/forward/forwardSpec';

/**
 * How the editor names a forward wherever it shows one (a tree row, the status bar, a pick, a notification).
 * All plain text: the Name tag comes from AWS, the remote host from a setting or the user.
 */

/** Listening on these, the forward is reached from this computer at `localhost`. */
const localhostBinds = new Set(['127.0.0.1', '0.0.0.0', '::', 'localhost']);
/** As the instance names itself. */
const instanceItself = new Set(['localhost', '127.0.0.1', '::1']);

/** Where to reach it from this computer: `localhost:18080`, or `[::1]:18080` / `192.168.1.5:18080` when it listens only there. */
export function localAddress(forward: Pick<Forward, 'local'>): string {
  const { host, port } = forward.local;
  return localhostBinds.has(host) ? `localhost:${port}` : hostPort(host, port);
}

/** What Open in Browser opens. */
export function forwardUrl(forward: Pick<Forward, 'local'>): string {
  return `http://${localAddress(forward)}/`;
}

/** The remote side as the row shows it: the port alone when it is the instance itself, else `db.internal:5432`. */
export function remoteText(forward: Pick<Forward, 'remote' | 'kind'>): string {
  const { host, port } = forward.remote;
  // An endpoint tunnel always reaches the instance itself (its private address).
  if (forward.kind === 'endpoint' || instanceItself.has(host)) return String(port);
  return hostPort(oneLine(host, 255), port);
}

/** `localhost:18080 → 8080`, `localhost:15432 → db.internal:5432`. */
export function forwardLabel(forward: Pick<Forward, 'local' | 'remote' | 'kind'>): string {
  return `${localAddress(forward)} → ${remoteText(forward)}`;
}

/** `localhost:18080 → 8080 on web-1 (i-0abc…)`: for the log and notifications. */
export function describeForwardBriefly(forward: Forward): string {
  return `${forwardLabel(forward)} on ${forwardInstanceTitle(forward.instance)}`;
}

/** "web-1 (i-0abc…)" or the id. */
export function forwardInstanceTitle(instance: ForwardInstance): string {
  const name = instance.name && oneLine(instance.name);
  return name ? `${name} (${instance.instanceId})` : instance.instanceId;
}

function plural(count: number, what: string): string {
  return `${count} ${what}${count === 1 ? '' : 's'}`;
}

/** Its state in a few words: "2 connections", "dropped: reconnects on next use", "failed: …". */
export function forwardStatus(forward: Pick<Forward, 'state' | 'problem' | 'connections'>): string {
  switch (forward.state) {
    case 'open':
      if (forward.connections.open) return plural(forward.connections.open, 'connection');
      return forward.problem ? 'listening; refused on the instance' : 'listening';
    case 'connecting':
      return 'connecting…';
    case 'dropped':
      return 'dropped: reconnects on next use';
    case 'failed':
      return `failed: ${oneLine(forward.problem ?? 'see the log', 120)}`;
    case 'stopped':
      return 'stopped';
  }
}

/** The row's description: the state, and the way the bytes go when it is not the instance's SSH connection. */
export function forwardDescription(forward: Forward): string {
  return forward.kind === 'endpoint' ? `${forwardStatus(forward)} · via endpoint` : forwardStatus(forward);
}

function endpointOf(forward: Forward): string | undefined {
  const id = (forward as Forward & { endpointId?: unknown }).endpointId;
  return typeof id === 'string' ? id : undefined;
}

/** The row's tooltip, plain text: where it goes and how, where it listens (and who can reach it), its connections and its problem. */
export function forwardTooltip(forward: Forward): string {
  const { local, remote, connections } = forward;
  const target = hostPort(oneLine(remote.host, 255), remote.port);
  const endpoint = endpointOf(forward);
  const via =
    forward.kind === 'endpoint'
      ? `To ${target} through ${endpoint ? `EC2 Instance Connect Endpoint ${endpoint}` : 'its EC2 Instance Connect Endpoint'}, a tunnel per connection`
      : `To ${target} as the instance reaches it, over its SSH connection`;
  const listening =
    local.host === '127.0.0.1' || local.host === '::1'
      ? `Listening on ${hostPort(local.host, local.port)} (this computer only)`
      : `Listening on ${hostPort(local.host, local.port)}: other computers on your network can reach it`;
  return [
    `${forwardLabel(forward)} on ${forwardInstanceTitle(forward.instance)} in ${forward.instance.region}`,
    via,
    listening,
    `${forwardStatus(forward)} (${plural(connections.total, 'connection')} since it started)`,
    ...(forward.problem ? [oneLine(forward.problem, 1000)] : []),
  ].join('\n');
}

/** The status bar item: `$(plug) 2 forwarded` and a tooltip that lists them, or nothing when none runs. */
export function forwardsStatus(forwards: readonly Forward[]): { text: string; tooltip: string } | undefined {
  if (forwards.length === 0) return undefined;
  const lines = forwards.map((f) => `${forwardLabel(f)} on ${forwardInstanceTitle(f.instance)}: ${forwardStatus(f)}`);
  return {
    text: `$(plug) ${forwards.length} forwarded`,
    tooltip: [`Forwarded ports (EC2 Instance Connect)`, ...lines, '', 'Click to stop, open or copy one.'].join('\n'),
  };
}

/** Quick-pick labels render `$(icon)` syntax: a Name tag must not inject icons. */
export function inert(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
