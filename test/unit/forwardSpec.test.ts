import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isProductError } from '../../src/core/errors/productError';
import { formatForwardSpec, hostPort, parseForwardSpec, parseRemoteSide } from '../../src/core/forward/forwardSpec';
import { parseListeningPorts } from '../../src/core/forward/listeningPorts';

test('-L specs as OpenSSH writes them: three fields bind to 127.0.0.1, four name the bind address, IPv6 in brackets or with slashes', () => {
  assert.deepEqual(parseForwardSpec('8080:localhost:80'), { bindAddress: '127.0.0.1', localPort: 8080, remoteHost: 'localhost', remotePort: 80 });
  assert.deepEqual(parseForwardSpec('0.0.0.0:15432:db.internal:5432'), { bindAddress: '0.0.0.0', localPort: 15432, remoteHost: 'db.internal', remotePort: 5432 });
  assert.deepEqual(parseForwardSpec('*:80:web:80').bindAddress, '0.0.0.0', 'OpenSSH: * is every address');
  assert.deepEqual(parseForwardSpec('localhost:80:web:80').bindAddress, '127.0.0.1');
  assert.deepEqual(parseForwardSpec('[::1]:8080:[fd00::5]:80'), { bindAddress: '::1', localPort: 8080, remoteHost: 'fd00::5', remotePort: 80 });
  assert.deepEqual(parseForwardSpec('8080/fd00::5/80'), { bindAddress: '127.0.0.1', localPort: 8080, remoteHost: 'fd00::5', remotePort: 80 });
  assert.equal(parseForwardSpec('0:localhost:80').localPort, 0, 'port 0: any free port');
  assert.equal(parseForwardSpec('8080:localhost:80', { bindAddress: '0.0.0.0' }).bindAddress, '0.0.0.0', 'the bind-address setting as the default');
});

test('a malformed -L spec is badInput that quotes it and shows the syntax', () => {
  for (const bad of ['8080', '8080:localhost', 'a:b:c:d:e', 'x:localhost:80', '8080:localhost:0', '70000:localhost:80', '8080::80', '']) {
    assert.throws(
      () => parseForwardSpec(bad),
      (err: unknown) => isProductError(err, 'badInput') && err.message.includes(`"${bad}"`) && err.message.includes('[bind_address:]port:host:hostport'),
      bad,
    );
  }
});

test('the remote side as the editor asks for it: a port is the instance itself, host:port as the instance reaches it', () => {
  assert.deepEqual(parseRemoteSide('8080'), { host: 'localhost', port: 8080 });
  assert.deepEqual(parseRemoteSide(' localhost:8080 '), { host: 'localhost', port: 8080 });
  assert.deepEqual(parseRemoteSide('db.internal:5432'), { host: 'db.internal', port: 5432 });
  assert.deepEqual(parseRemoteSide('[fd00::1]:5432'), { host: 'fd00::1', port: 5432 });
  for (const bad of ['', 'db.internal', ':80', 'db:0', 'db:http']) assert.throws(() => parseRemoteSide(bad), (err: unknown) => isProductError(err, 'badInput'), bad);
});

test('specs and addresses print back the way they are written', () => {
  assert.equal(formatForwardSpec(parseForwardSpec('8080:localhost:80')), '8080:localhost:80');
  assert.equal(formatForwardSpec(parseForwardSpec('0.0.0.0:8080:[fd00::5]:80')), '0.0.0.0:8080:[fd00::5]:80');
  assert.equal(hostPort('127.0.0.1', 8080), '127.0.0.1:8080');
  assert.equal(hostPort('::1', 8080), '[::1]:8080');
});

test('listening ports from ss: one row per port with its addresses and the process where ss shows it', () => {
  const output = [
    '#ss',
    'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
    'LISTEN 0      128          0.0.0.0:22         0.0.0.0:*',
    'LISTEN 0      511        127.0.0.1:8080       0.0.0.0:*    users:(("node",pid=4242,fd=19))',
    'LISTEN 0      4096   127.0.0.53%lo:53         0.0.0.0:*',
    'LISTEN 0      128             [::]:22            [::]:*',
    'LISTEN 0      511                *:80               *:*    users:(("nginx",pid=1,fd=6),("nginx",pid=2,fd=6))',
    '',
  ].join('\n');
  assert.deepEqual(parseListeningPorts(output), [
    { port: 22, addresses: ['0.0.0.0', '::'] },
    { port: 53, addresses: ['127.0.0.53'] },
    { port: 80, addresses: ['0.0.0.0'], process: 'nginx' },
    { port: 8080, addresses: ['127.0.0.1'], process: 'node' },
  ].map((row) => ({ process: undefined, ...row })));
});

test('listening ports from /proc/net/tcp and tcp6 where there is no ss: LISTEN rows only, addresses decoded', () => {
  const output = [
    '#proc',
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2345 1 0000000000000000 100 0 0 10 0',
    '   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 3456 1 0000000000000000 100 0 0 10 0',
    '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4567 1',
    '   1: 00000000000000000000000001000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5678 1',
  ].join('\n');
  assert.deepEqual(parseListeningPorts(output), [
    { port: 22, addresses: ['0.0.0.0', '::'], process: undefined },
    { port: 5432, addresses: ['::1'], process: undefined },
    { port: 8080, addresses: ['127.0.0.1'], process: undefined },
  ]);
});
