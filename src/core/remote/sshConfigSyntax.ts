/**
 * Just enough of OpenSSH's ssh_config syntax to read and write the lines this extension cares about,
 * following readconf.c and misc.c's argv_split (OpenSSH 8.7 and later):
 * - a line is `Keyword args…` or `Keyword=args…`; keywords are case-insensitive; `#` starts a comment line;
 * - arguments are separated by whitespace; double or single quotes group one argument;
 * - a backslash escapes a quote, a backslash, or (outside quotes) a space; before anything else it stays.
 */

/** The platform whose rules a path or command follows, and the user's home directory there. */
export interface PathStyle {
  platform: NodeJS.Platform;
  home: string;
}

export interface ConfigLine {
  /** Lower case. */
  keyword: string;
  args: string[];
}

/** The keyword and arguments of one line, or undefined for blank lines and comments. */
export function parseConfigLine(line: string): ConfigLine | undefined {
  const trimmed = line.replace(/^[\s\uFEFF]+/, '');
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const match = /^([^\s=]+)(?:\s*=\s*|\s+|$)([\s\S]*)$/.exec(trimmed);
  if (!match) return undefined;
  return { keyword: match[1].toLowerCase(), args: splitArgs(match[2]) };
}

/** Splits arguments as ssh does. An unquoted `#` at the start of an argument ends the line (a trailing comment). */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!quote && /\s/.test(c)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
      continue;
    }
    if (!quote && !inArg && c === '#') break;
    inArg = true;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '"' || next === "'" || next === '\\' || (!quote && next === ' ')) {
        current += next;
        i++;
      } else {
        current += c;
      }
    } else if (quote && c === quote) {
      quote = undefined;
    } else if (!quote && (c === '"' || c === "'")) {
      quote = c;
    } else {
      current += c;
    }
  }
  if (inArg) args.push(current);
  return args;
}

/** One argument in double quotes, with the quote and backslash escaped so that argv_split gives it back unchanged. */
export function quoteConfigArg(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new Error(`A line break cannot be written into an ssh config file: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * Escapes `%` for the options where ssh expands %-tokens (IdentityFile, ProxyCommand, HostName):
 * a literal percent sign is `%%`.
 */
export function escapeTokens(value: string): string {
  return value.replace(/%/g, '%%');
}

/**
 * A path as ssh_config should name it. Windows paths use forward slashes: Win32-OpenSSH accepts them, and
 * a backslash is an escape character in ssh_config arguments (and in open-remote-ssh's ProxyCommand parser).
 */
export function configPath(path: string, style: PathStyle): string {
  return style.platform === 'win32' ? path.replace(/\\/g, '/') : path;
}

/** The line ending a file already uses: CRLF when it has any, else LF. */
export function lineEndingOf(content: string): '\r\n' | '\n' {
  return content.includes('\r\n') ? '\r\n' : '\n';
}

/** A file's lines, each with its own line ending, so that joining them gives the file back byte for byte. */
export function splitLinesKeepingEnds(content: string): string[] {
  return content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
