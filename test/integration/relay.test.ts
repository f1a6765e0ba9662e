import assert from 'node:assert/strict';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';

import { relay } from '../../src/core/transport/relay';
import { connectTcp } from '../../src/core/transport/tcp';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

test('bytes go both ways; ssh closing its side ends the connection and the relay', async (t) => {
  const server = createServer((conn) => conn.pipe(conn));
  t.after(() => server.close());
  const port = await listen(server);
  const input = new PassThrough();
  const output = new PassThrough();
  const received: Buffer[] = [];
  output.on('data', (chunk: Buffer) => received.push(chunk));

  const done = relay(await connectTcp('127.0.0.1', port, 5000), input, output);
  const payload = Buffer.from([0, 1, 2, 255, 10, 13, ...Buffer.from('SSH-2.0-OpenSSH_9.2\r\n')]);
  input.end(payload);
  await done;
  assert.deepEqual(Buffer.concat(received), payload);
});

test('the instance closing the connection ends the relay even while ssh still has its side open', async (t) => {
  const server = createServer((conn) => conn.end('bye'));
  t.after(() => server.close());
  const port = await listen(server);
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await relay(await connectTcp('127.0.0.1', port, 5000), input, output);
  assert.equal(text, 'bye');
  assert.equal(input.destroyed, true);
});

test('nothing listening: the socket error (ECONNREFUSED) is passed on', async () => {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  await assert.rejects(connectTcp('127.0.0.1', port, 5000), { code: 'ECONNREFUSED' });
});
