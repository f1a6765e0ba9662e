// What a serial console session shows: a console that stays silent until Enter, then the getty banner and
// `login:` prompt of the instance's OS. The instance's OS user logs in with the password `sandbox`; that
// starts a real login shell on this machine (as that user when the sandbox is root) on a pty made by
// util-linux `script`, so no native module is needed. The pty's size is set once at login: later
// window-change requests cannot reach it through `script`.
import { type ChildProcess, spawn } from 'node:child_process';

import type { InstanceRecord } from './account';
import { descendantsOf, signal } from './processes';

export const SERIAL_PASSWORD = 'sandbox';

export interface ConsoleStream {
  write(data: string | Buffer): boolean;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export interface Terminal {
  term: string;
  cols: number;
  rows: number;
}

type Phase = 'silent' | 'user' | 'password' | 'shell';

function shellCommand(osUser: string, terminal: Terminal): string {
  const size = `stty rows ${terminal.rows || 24} cols ${terminal.cols || 80}`;
  const login = process.getuid?.() === 0 ? `exec su -l '${osUser.replace(/'/g, '')}'` : 'exec bash -l';
  return `${size}; ${login}`;
}

/** Runs the console on `stream` until it closes; the returned function ends it (and any shell) at once. */
export function runSerialConsole(stream: ConsoleStream, instance: InstanceRecord, terminal: Terminal): () => void {
  const arch = instance.family.architecture === 'arm64' ? 'aarch64' : 'x86_64';
  const prompt = `${instance.hostname} login: `;
  const banner = `\r\n${instance.family.consoleBanner}\r\nKernel ${instance.family.kernel} on an ${arch}\r\n\r\n${prompt}`;
  let phase: Phase = 'silent';
  let line = '';
  let user = '';
  let shell: ChildProcess | undefined;
  let closed = false;

  const startShell = (): void => {
    phase = 'shell';
    const child = spawn('script', ['-qfc', shellCommand(instance.osUser, terminal), '/dev/null'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: terminal.term || 'vt220', SHELL: '/bin/sh', LANG: 'C.UTF-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    shell = child;
    child.stdout?.on('data', (data: Buffer) => stream.write(data));
    child.stderr?.on('data', (data: Buffer) => stream.write(data));
    child.stdin?.on('error', () => undefined);
    child.once('exit', () => {
      shell = undefined;
      if (closed) return;
      // getty comes back after logout.
      phase = 'user';
      line = '';
      stream.write(banner);
    });
  };

  const onLine = (): void => {
    if (phase === 'user') {
      if (line === '') {
        stream.write(`\r\n${prompt}`);
        return;
      }
      user = line;
      line = '';
      phase = 'password';
      stream.write('\r\nPassword: ');
      return;
    }
    const password = line;
    line = '';
    if (user === instance.osUser && password === SERIAL_PASSWORD) {
      stream.write('\r\n');
      startShell();
      return;
    }
    phase = 'user';
    stream.write(`\r\nLogin incorrect\r\n${prompt}`);
  };

  stream.on('data', (data: Buffer) => {
    const chars = [...data.toString('utf8')];
    for (let index = 0; index < chars.length; index++) {
      const char = chars[index];
      if (phase === 'shell') {
        // Typed ahead of the login finishing, or typed in the shell: the shell reads it.
        shell?.stdin?.write(chars.slice(index).join(''));
        return;
      }
      if (phase === 'silent') {
        if (char === '\r' || char === '\n') {
          phase = 'user';
          stream.write(banner);
        }
        continue;
      }
      if (char === '\r' || char === '\n') onLine();
      else if (char === '\x7f' || char === '\b') {
        if (line.length > 0) {
          line = line.slice(0, -1);
          if (phase === 'user') stream.write('\b \b');
        }
      } else if (char === '\x03' || char === '\x04') {
        line = '';
        phase = 'user';
        stream.write(`\r\n${prompt}`);
      } else if (char >= ' ') {
        line += char;
        // The password is not echoed.
        if (phase === 'user') stream.write(char);
      }
    }
  });
  const end = (): void => {
    closed = true;
    const pid = shell?.pid;
    if (pid === undefined) return;
    // The login shell runs in its own session on script's pty: a hangup to script alone leaves it running.
    for (const process of descendantsOf(pid)) signal(process, 'SIGKILL');
    signal(pid, 'SIGKILL');
  };
  stream.on('close', end);
  return end;
}
