import { ProductError } from '../errors/productError';

/** A local forward, as `ssh -L [bind_address:]port:host:hostport` names it. */
export interface ForwardSpec {
  /** Where the local side listens; default 127.0.0.1 (only this computer). */
  bindAddress: string;
  /** 0: any free port. */
  localPort: number;
  /** As the instance resolves it: `localhost`, a private address, `db.internal`. */
  remoteHost: string;
  remotePort: number;
}

export const defaultBindAddress = '127.0.0.1';

/**
 * OpenSSH's `-L` syntax: `port:host:hostport` or `bind_address:port:host:hostport`, with IPv6 addresses in
 * brackets (`[::1]:8080:[::1]:80`) or OpenSSH's `/` form (`::1/8080/::1/80`). A local port of 0 asks for
 * any free one. Unix sockets (`-L path:host:port`) are not supported.
 */
export function parseForwardSpec(text: string, defaults: { bindAddress?: string } = {}): ForwardSpec {
  const fields = splitFields(text.trim());
  const bad = (why: string) =>
    new ProductError('badInput', `"${text}" is not a forward: ${why}. Write [bind_address:]port:host:hostport, e.g. 8080:localhost:80 or 127.0.0.1:5432:db.internal:5432.`);
  if (fields.length !== 3 && fields.length !== 4) throw bad('it needs three or four fields separated by ":"');
  const [bindAddress, localPort, remoteHost, remotePort] = fields.length === 4 ? fields : [defaults.bindAddress ?? defaultBindAddress, ...fields];
  if (!remoteHost) throw bad('the host is empty');
  return {
    bindAddress: bindAddress === '' || bindAddress === '*' ? '0.0.0.0' : bindAddress === 'localhost' ? defaultBindAddress : bindAddress,
    localPort: port(localPort, 'local port', bad, true),
    remoteHost,
    remotePort: port(remotePort, 'remote port', bad, false),
  };
}

/**
 * The remote side as the editor asks for it: `8080` (the instance itself), `localhost:8080`, `db.internal:5432`
 * or `[fd00::1]:5432`, as seen from the instance.
 */
export function parseRemoteSide(text: string): { host: string; port: number } {
  const trimmed = text.trim();
  const bad = (why: string) => new ProductError('badInput', `"${text}" is not a port on the instance: ${why}. Write a port (8080), or host:port as the instance reaches it (db.internal:5432).`);
  if (/^\d+$/.test(trimmed)) return { host: 'localhost', port: port(trimmed, 'port', bad, false) };
  const fields = splitFields(trimmed);
  if (fields.length !== 2 || !fields[0]) throw bad('it needs a host and a port separated by ":"');
  return { host: fields[0], port: port(fields[1], 'port', bad, false) };
}

/** `127.0.0.1:18080`, `[::1]:18080`. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Back to OpenSSH's syntax (the bind address only when it is not the default). */
export function formatForwardSpec(spec: ForwardSpec): string {
  const remote = `${bracket(spec.remoteHost)}:${spec.remotePort}`;
  return spec.bindAddress === defaultBindAddress ? `${spec.localPort}:${remote}` : `${bracket(spec.bindAddress)}:${spec.localPort}:${remote}`;
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Splits on ':' outside brackets, or on '/' when the text uses OpenSSH's slash form (for IPv6 without brackets). */
function splitFields(text: string): string[] {
  if (text.includes('/')) return text.split('/');
  const fields: string[] = [];
  let current = '';
  let inBrackets = false;
  for (const char of text) {
    if (char === '[' && !inBrackets) inBrackets = true;
    else if (char === ']' && inBrackets) inBrackets = false;
    else if (char === ':' && !inBrackets) {
      fields.push(current);
      current = '';
    } else current += char;
  }
  fields.push(current);
  return fields;
}

function port(text: string, what: string, bad: (why: string) => ProductError, zeroAllowed: boolean): number {
  if (!/^\d{1,5}$/.test(text)) throw bad(`the ${what} "${text}" is not a number`);
  const value = Number(text);
  if (value > 65535 || (value === 0 && !zeroAllowed)) throw bad(`the ${what} ${value} is not between ${zeroAllowed ? 0 : 1} and 65535`);
  return value;
}
