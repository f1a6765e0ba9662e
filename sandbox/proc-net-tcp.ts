// The kernel's table of TCP sockets (/proc/net/tcp, /proc/net/tcp6): whether an address is listening, and
// who made the socket at the other end of a loopback connection (its owner's uid and its inode, which names
// it in the /proc/<pid>/fd of the processes holding it). Both ends of a loopback connection are on this
// machine, so the client's socket is in the table too: the row whose local address is the server's peer.
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';

interface Row {
  local: string;
  remote: string;
  state: string;
  uid: number;
  inode: number;
}

/** TCP_LISTEN in include/net/tcp_states.h. */
const LISTEN = '0A';

/** An IPv4 address as the kernel prints it: the 32-bit word in the machine's byte order, in hex. */
function hexV4(address: string): string {
  const bytes = address.replace(/^::ffff:/i, '').split('.').map((part) => Number(part).toString(16).padStart(2, '0').toUpperCase());
  return (endianness() === 'LE' ? bytes.reverse() : bytes).join('');
}

/** The forms a row can show an IPv4 endpoint in: /proc/net/tcp's, and tcp6's IPv4-mapped one (::ffff:a.b.c.d). */
function forms(address: string, port: number): string[] {
  const hexPort = port.toString(16).padStart(4, '0').toUpperCase();
  const mapped = `0000000000000000${endianness() === 'LE' ? 'FFFF0000' : '0000FFFF'}${hexV4(address)}`;
  return [`${hexV4(address)}:${hexPort}`, `${mapped}:${hexPort}`];
}

function rows(): Row[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').slice(1).filter((line) => line.trim()).map((line) => {
      const fields = line.trim().split(/\s+/);
      return { local: fields[1], remote: fields[2], state: fields[3], uid: Number(fields[7]), inode: Number(fields[9]) };
    });
  });
}

/** Whether a socket listens on this IPv4 address and port. */
export function isListening(address: string, port: number): boolean {
  const local = forms(address, port);
  return rows().some((row) => row.state === LISTEN && local.includes(row.local));
}

export interface SocketAddress {
  address: string;
  port: number;
}

/**
 * The client's socket of a loopback connection a server accepted: `peer` is the server's remote end,
 * `self` its local one. Undefined when the client has closed it already (or it is not on this machine).
 */
export function clientSocketOf(peer: SocketAddress, self: SocketAddress): { uid: number; inode: number } | undefined {
  const local = forms(peer.address, peer.port);
  const remote = forms(self.address, self.port);
  const row = rows().find((candidate) => local.includes(candidate.local) && remote.includes(candidate.remote) && candidate.inode !== 0);
  return row && { uid: row.uid, inode: row.inode };
}
