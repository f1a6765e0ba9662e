/**
 * The service behind the forward benchmark's forwards, in a process of its own (so that neither our
 * forwarder nor the measuring client shares its thread), listening on 127.0.0.1 only: the sandbox's
 * instances are sshd on this machine, so the instance's 127.0.0.1 is this one.
 *   banner: writes a short line on accept and keeps the connection until the client closes it (SSH, SMTP,
 *     MySQL: the server speaks first);
 *   answer: writes a short line for each piece of data it reads (HTTP, PostgreSQL: the client speaks first);
 *   bulk: writes `ready\n` on accept, then takes one 9-byte request, a letter and a 64-bit length:
 *     `D`: sends that many bytes and ends; `U`: reads that many bytes, answers one byte and ends.
 * Prints `{"banner":PORT,"answer":PORT,"bulk":PORT}` on stdout once both listen.
 */
import { randomFillSync } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

export const bannerText = 'SSH-2.0-bench-banner\r\n';
export const answerText = 'HTTP/1.1 204 No Content\r\n\r\n';
export const readyText = 'ready\n';
export const requestBytes = 9;

/** One MB of random bytes, written again and again: nothing along the way compresses it. */
const chunk = randomFillSync(Buffer.alloc(2 ** 20));

function serveBanner(socket: Socket): void {
  socket.on('error', () => {});
  socket.setNoDelay(true);
  socket.write(bannerText);
  socket.on('data', () => {});
  socket.on('end', () => socket.end());
}

function serveAnswer(socket: Socket): void {
  socket.on('error', () => {});
  socket.setNoDelay(true);
  socket.on('data', () => socket.write(answerText));
  socket.on('end', () => socket.end());
}

function send(socket: Socket, bytes: number): void {
  let left = bytes;
  const more = () => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!socket.write(piece)) return void socket.once('drain', more);
    }
    socket.end();
  };
  more();
}

function serveBulk(socket: Socket): void {
  socket.on('error', () => {});
  socket.write(readyText);
  let header = Buffer.alloc(0);
  let receiving = -1;
  socket.on('data', (data: Buffer) => {
    if (receiving >= 0) {
      receiving -= data.length;
      if (receiving <= 0) socket.end('k');
      return;
    }
    header = Buffer.concat([header, data]);
    if (header.length < requestBytes) return;
    const kind = String.fromCharCode(header[0]);
    const length = Number(header.readBigUInt64BE(1));
    const rest = header.length - requestBytes;
    if (kind === 'D') send(socket, length);
    else if (kind === 'U') {
      receiving = length - rest;
      if (receiving <= 0) socket.end('k');
    } else socket.destroy();
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

async function main(): Promise<void> {
  const banner = await listen(createServer(serveBanner));
  const answer = await listen(createServer(serveAnswer));
  const bulk = await listen(createServer(serveBulk));
  process.stdout.write(`${JSON.stringify({ banner, answer, bulk })}\n`);
  // Ends with the benchmark: its stdin closes.
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

if (require.main === module) void main();
