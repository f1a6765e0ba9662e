import { shellWord } from '../base/shellWord';
import type { ConnectionPool } from '../connect/connectionPool';
import type { ConnectRequest } from '../connect/connector';

export interface CommandResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** A command on the instance's shared connection (no pty), with `stdin` written and closed, to its end. */
export async function runOnInstance(pool: ConnectionPool, request: ConnectRequest, command: string, stdin?: Uint8Array): Promise<CommandResult> {
  const { channel } = await pool.exec(request, command);
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    channel.onData((data, stream) => (stream === 'stdout' ? stdout : stderr).push(data));
    channel.onEnd((end) => {
      if (end.kind === 'lost') return reject(end.error);
      resolve({ code: end.code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    if (stdin) channel.write(Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength));
    channel.endInput();
  });
}

/** Whether the user may run commands as root without a password (`sudo -n true`): only then is Save as Root offered. */
export async function canSudo(pool: ConnectionPool, request: ConnectRequest): Promise<boolean> {
  return (await runOnInstance(pool, request, 'sudo -n true 2>/dev/null')).code === 0;
}

/** Writes a file as root, streaming through `sudo tee` (which keeps the file's mode and owner: it truncates in place). */
export async function writeAsRoot(pool: ConnectionPool, request: ConnectRequest, path: string, content: Uint8Array): Promise<void> {
  const result = await runOnInstance(pool, request, `sudo -n tee -- ${shellWord(path)} >/dev/null`, content);
  if (result.code !== 0) throw new Error(`sudo tee ${path} exited with status ${result.code}: ${result.stderr.trim() || 'no message'}`);
}

/** One match of Find in Folder on Instance. Text from the instance: untrusted. */
export interface FoundLine {
  path: string;
  line: number;
  text: string;
}

/** At most this many matches come back (the command stops there). */
export const maxFindResults = 2000;

/**
 * `rg` where the instance has it, else `grep -r`: fixed text, case-insensitive when it is all lower case (as
 * `rg --smart-case`), binary files skipped, the file name ended by a NUL so any name parses.
 */
export function findCommand(folder: string, text: string): string {
  const ignoreCase = text === text.toLowerCase() ? ' -i' : '';
  const pattern = shellWord(text);
  const dir = shellWord(folder);
  return (
    `if command -v rg >/dev/null 2>&1; then rg --null --line-number --no-heading --color never --max-columns 400 --fixed-strings${ignoreCase} -e ${pattern} -- ${dir}; ` +
    `else grep -rnIZF${ignoreCase} -e ${pattern} -- ${dir}; fi 2>/dev/null | head -n ${maxFindResults}`
  );
}

/** `path\0line:text` lines. */
export function parseFindOutput(output: string): FoundLine[] {
  const found: FoundLine[] = [];
  for (const row of output.split('\n')) {
    const nul = row.indexOf('\0');
    if (nul <= 0) continue;
    const rest = /^(\d+):(.*)$/s.exec(row.slice(nul + 1));
    if (!rest) continue;
    found.push({ path: row.slice(0, nul), line: Number(rest[1]), text: rest[2] });
  }
  return found;
}
