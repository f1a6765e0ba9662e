/**
 * Our side of the files benchmark, in a plain Node process of its own that loads the production core
 * (dist/core.js) as the extension does: InstanceFiles on a ConnectionPool, one SFTP session on the
 * instance's shared connection, opened before anything is timed. bench/files.ts drives it one JSON line
 * at a time on stdin and reads one JSON line per request on stdout, interleaving it with OpenSSH's sftp.
 * Environment: the sandbox's AWS_* variables; EC2IC_CORE: the path of dist/core.js.
 */
import { randomFillSync } from 'node:crypto';
import { createInterface } from 'node:readline';

import { silentLogger } from '../src/core/base/log';
import { defaultSettings } from '../src/core/base/settings';
import { MemoryStore } from '../src/core/base/store';
import type * as Core from '../src/core/core';
import type { RemoteFiles } from '../src/core/files/remoteFiles';

export interface FilesTarget {
  instanceId: string;
  region: string;
  osUser: string;
  port: number;
}

export type FilesRequest =
  /** Opens the SFTP session (key push, handshake, subsystem) and answers with the user's home. */
  | { op: 'open'; target: FilesTarget }
  | { op: 'write'; path: string; bytes: number }
  | { op: 'read'; path: string }
  | { op: 'list'; path: string }
  | { op: 'exit' };

/** Milliseconds of the one call, and what it moved (bytes) or found (entries). */
export interface FilesTimed {
  ms: number;
  count: number;
}

const corePath = process.env.EC2IC_CORE;
if (!corePath) throw new Error('EC2IC_CORE must name dist/core.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle named at run time, as the editor loads it
const core = require(corePath) as typeof Core;
const clients = new core.AwsClients({ endpoint: process.env.AWS_ENDPOINT_URL });
let remote: RemoteFiles | undefined;
let content: Buffer | undefined;

function files(): RemoteFiles {
  if (!remote) throw new Error('open first');
  return remote;
}

async function open(target: FilesTarget): Promise<{ home: string; ms: number }> {
  const started = performance.now();
  const pool = new core.ConnectionPool({
    connector: new core.Connector({ aws: () => clients, store: new MemoryStore(), settings: () => ({ ...defaultSettings, connectTimeoutSeconds: 15, port: target.port, connectionType: 'direct' }), log: silentLogger }),
    lingerSeconds: 0,
    log: silentLogger,
  });
  const instanceFiles = new core.InstanceFiles({ pool, log: silentLogger });
  remote = instanceFiles.at({ instanceId: target.instanceId, region: target.region, osUser: target.osUser });
  const home = await remote.home();
  return { home, ms: performance.now() - started };
}

async function timed(run: () => Promise<number>): Promise<FilesTimed> {
  const started = performance.now();
  const count = await run();
  return { ms: performance.now() - started, count };
}

async function handle(request: FilesRequest): Promise<unknown> {
  switch (request.op) {
    case 'open':
      return open(request.target);
    case 'write': {
      if (content?.length !== request.bytes) content = randomFillSync(Buffer.alloc(request.bytes));
      const data = content;
      return timed(async () => {
        await files().writeFile(request.path, data, { create: true, overwrite: true });
        return data.length;
      });
    }
    case 'read':
      return timed(async () => (await files().readFile(request.path)).length);
    case 'list':
      return timed(async () => (await files().readDirectory(request.path)).length);
    case 'exit':
      process.exit(0);
  }
}

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      process.stdout.write(`${JSON.stringify({ ok: await handle(JSON.parse(line) as FilesRequest) })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.stack ?? err.message : String(err) })}\n`);
    }
  });
});
lines.on('close', () => void queue.then(() => process.exit(0)));
