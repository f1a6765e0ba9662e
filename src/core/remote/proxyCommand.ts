import { ProductError } from '../errors/productError';
import { escapeTokens } from './sshConfigSyntax';

/**
 * The `ProxyCommand` that runs `ec2ic proxy` with the editor's own runtime, quoted for every way it is run:
 *
 * - OpenSSH on Linux and macOS runs it as `$SHELL -c "exec <command>"` (sh, bash, zsh, dash, fish);
 * - Win32-OpenSSH hands the string to CreateProcess as a command line (no shell), so setting a variable
 *   needs cmd.exe, named by its full path so that no cmd.exe in the current directory is picked up;
 * - open-remote-ssh (VSCodium) splits it itself (whitespace, double quotes, backslash escapes) and spawns
 *   the first word without a shell.
 *
 * Double quotes are what all of them understand. On POSIX, `\`, `"`, `$` and backquote are escaped inside
 * them; Windows paths are written with forward slashes, which Windows, cmd.exe and Node accept, so that no
 * backslash reaches a parser that would take it for an escape. Finally every `%` becomes `%%`, because ssh
 * expands %-tokens in ProxyCommand.
 *
 * Known limit: cmd.exe expands `%NAME%` even inside quotes, so a Windows path holding two percent signs
 * around the name of a defined environment variable would be changed by it.
 */

/** What runs the CLI script. */
export interface ProxyRuntime {
  /** The editor's binary (process.execPath), or node. */
  executable: string;
  /** An Electron binary runs a script as Node only with ELECTRON_RUN_AS_NODE=1 in its environment. */
  electron: boolean;
  /** The CLI bundle (dist/cli.js). */
  cliScript: string;
  /** Windows: cmd.exe's full path (ComSpec), used to set ELECTRON_RUN_AS_NODE. */
  comspec?: string;
}

const posixPlain = /^[A-Za-z0-9_\-.,:/@=+%]+$/;
const windowsPlain = /^[A-Za-z0-9_\-.:/@+%]+$/;

function refuse(what: string, value: string): never {
  throw new ProductError('badInput', `${what} cannot be written into an ssh ProxyCommand: ${JSON.stringify(value)}.`);
}

/** One word for `sh -c` (and fish, and open-remote-ssh's splitter). */
export function quotePosix(value: string): string {
  if (/[\r\n\0]/.test(value)) refuse('A value with a line break', value);
  if (posixPlain.test(value)) return value;
  return `"${value.replace(/[\\"$`]/g, '\\$&')}"`;
}

/**
 * One word for cmd.exe and the C runtime's argument parser (CommandLineToArgvW rules). The program (first
 * word) is always quoted: Win32-OpenSSH guesses where an unquoted program name ends.
 */
export function quoteWindows(value: string, always = false): string {
  if (/[\r\n\0]/.test(value)) refuse('A value with a line break', value);
  if (value.includes('"')) refuse('A value with a double quote', value);
  if (!always && windowsPlain.test(value)) return value;
  // Backslashes right before the closing quote would escape it: double them.
  return `"${value.replace(/(\\+)$/, '$1$1')}"`;
}

/** A Windows path with forward slashes (see above). */
export function windowsPath(path: string): string {
  return path.replace(/\\/g, '/');
}

/** The ProxyCommand value for `args` (e.g. ['proxy', 'i-…', '--user', 'ec2-user', …]), %-escaped for ssh. */
export function proxyCommandLine(runtime: ProxyRuntime, args: string[], platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    const program = [quoteWindows(windowsPath(runtime.executable), true), ...[windowsPath(runtime.cliScript), ...args].map((a) => quoteWindows(a))].join(' ');
    if (!runtime.electron) return escapeTokens(program);
    const comspec = quoteWindows(windowsPath(runtime.comspec ?? 'C:\\Windows\\System32\\cmd.exe'), true);
    // `set X=1&& …`: no space before &&, or the value would end with one. /d skips AutoRun commands,
    // /v:off keeps `!` literal.
    return escapeTokens(`${comspec} /d /v:off /c set ELECTRON_RUN_AS_NODE=1&& ${program}`);
  }
  const program = [runtime.executable, runtime.cliScript, ...args].map(quotePosix).join(' ');
  return escapeTokens(runtime.electron ? `env ELECTRON_RUN_AS_NODE=1 ${program}` : program);
}

/** The runtime of the current process: the editor's Electron binary, or Node (the CLI, code-server). */
export function currentRuntime(cliScript: string, env: NodeJS.ProcessEnv = process.env): ProxyRuntime {
  return {
    executable: process.execPath,
    electron: process.versions.electron !== undefined,
    cliScript,
    comspec: process.platform === 'win32' ? (env.ComSpec ?? env.COMSPEC) : undefined,
  };
}
