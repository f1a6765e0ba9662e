import { plainText } from './sanitize';

/**
 * The log every module writes to. In the editor it is the "EC2 Instance Connect" LogOutputChannel; in the
 * CLI it is stderr (with --debug); in tests it is whatever the test wants to read. A module takes the
 * logger it is given and calls `child('component')` for its own lines, which then start with `[component]`.
 * Every line goes through redact() and plainText() on its way to the sink: no private key, secret access key or
 * session token ever reaches it, nor an escape sequence, whoever wrote the line.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger whose lines start with `[component]` (`[parent/component]` under a child). */
  child(component: string): Logger;
}

/** Where lines end up: a LogOutputChannel, stderr, a test's array. Lines arrive redacted and prefixed. */
export type LogSink = Pick<Logger, 'trace' | 'debug' | 'info' | 'warn' | 'error'>;

const levels = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/** The root logger over a sink: every line is redacted before the sink sees it. */
export function createLogger(sink: LogSink, component?: string): Logger {
  const prefix = component ? `[${component}] ` : '';
  const logger = { child: (name: string) => createLogger(sink, component ? `${component}/${name}` : name) } as Logger;
  // Lines can quote AWS text (names, messages): plain text, so the log shows what it says and does nothing else.
  for (const level of levels) logger[level] = (message: string) => sink[level](plainText(redact(`${prefix}${message}`), { multiline: true }));
  return logger;
}

const nothing = () => undefined;
export const silentLogger: Logger = createLogger({ trace: nothing, debug: nothing, info: nothing, warn: nothing, error: nothing });

const secretPatterns: [RegExp, string][] = [
  // PEM and OpenSSH private keys, whole blocks.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, '[private key redacted]'],
  // Values of credential fields in ini files, JSON, env dumps and query strings.
  [
    /((?:aws_)?(?:secret_?access_?key|session_?token|security_?token|secretAccessKey|sessionToken|accessToken|refreshToken|clientSecret|X-Amz-Security-Token|X-Amz-Signature)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
    '$1[redacted]',
  ],
  // SigV4 Authorization header signatures.
  [/(Signature=)[0-9a-f]{64}/gi, '$1[redacted]'],
];

/** Removes secrets from a line of text. Access key ids stay (they identify, they do not authenticate). */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of secretPatterns) out = out.replace(pattern, replacement);
  return out;
}

/** A one-line description of an unknown thrown value, for logs. */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) {
    const meta = (err as { $metadata?: { requestId?: string; httpStatusCode?: number } }).$metadata;
    const id = meta?.requestId ? ` (request id ${meta.requestId})` : '';
    return redact(`${err.name}: ${err.message}${id}`);
  }
  return redact(String(err));
}
