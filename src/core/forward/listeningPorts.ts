/** A TCP port something listens on, on the instance. */
export interface ListeningPort {
  port: number;
  /** The addresses it listens on there: `0.0.0.0`, `127.0.0.1`, `::`. */
  addresses: string[];
  /** The program, where the instance tells (`ss -p` shows only the user's own processes unless root). Untrusted: plain text. */
  process?: string;
}

/**
 * What runs on the instance to list its listening TCP ports: `ss` where it is installed, else the kernel's
 * tables. The first line says which, so the output can be read either way.
 */
export const listeningPortsCommand =
  'if command -v ss >/dev/null 2>&1; then echo "#ss"; ss -ltnp 2>/dev/null; else echo "#proc"; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; fi';

/** Reads the output of listeningPortsCommand: one row per port, in port order. */
export function parseListeningPorts(output: string): ListeningPort[] {
  const [first, ...lines] = output.split('\n');
  const rows = first?.trim() === '#proc' ? lines.map(procRow) : lines.map(ssRow);
  const byPort = new Map<number, ListeningPort>();
  for (const row of rows) {
    if (!row) continue;
    const entry = byPort.get(row.port) ?? { port: row.port, addresses: [] };
    if (!entry.addresses.includes(row.address)) entry.addresses.push(row.address);
    entry.process ??= row.process;
    byPort.set(row.port, entry);
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

interface Row {
  port: number;
  address: string;
  process?: string;
}

/** `LISTEN 0 511 0.0.0.0:8080 0.0.0.0:* users:(("node",pid=123,fd=19))`, `[::]:22`, `*:80`, `127.0.0.53%lo:53`. */
function ssRow(line: string): Row | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'LISTEN' || fields.length < 5) return undefined;
  const local = /^(.*):(\d+)$/.exec(fields[3]);
  if (!local) return undefined;
  const address = local[1].replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const process = /users:\(\("((?:[^"\\]|\\.)*)"/.exec(fields.slice(5).join(' '))?.[1];
  return { port: Number(local[2]), address: address === '*' ? '0.0.0.0' : address, process };
}

/** `   0: 00000000:1F90 00000000:0000 0A …`: state 0A is LISTEN; addresses are hex, IPv4 in host (little-endian) order. */
function procRow(line: string): Row | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 4 || fields[3] !== '0A') return undefined;
  const [hexAddress, hexPort] = fields[1].split(':');
  if (!hexAddress || !hexPort) return undefined;
  return { port: parseInt(hexPort, 16), address: hexAddress.length === 8 ? ipv4(hexAddress) : ipv6(hexAddress) };
}

function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

/** Four little-endian 32-bit words; shortened the usual way (`::`, `::1`). */
function ipv6(hex: string): string {
  const groups: string[] = [];
  for (let word = 0; word < 4; word++) {
    const bytes = hex.slice(word * 8, word * 8 + 8).match(/../g) ?? [];
    const ordered = bytes.reverse().join('');
    groups.push(ordered.slice(0, 4), ordered.slice(4, 8));
  }
  const text = groups.map((group) => parseInt(group, 16).toString(16)).join(':');
  return text.replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}
