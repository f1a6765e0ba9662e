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
  // Any other field named for a secret, a token or a password: `secret: X`, `token=X`, `"Token": "X"`, `client_secret = X`.
  [/(\b[\w-]*(?:secret|token|password|passwd)[\w-]*["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, '$1[redacted]'],
  // Bearer tokens (OIDC, SSO) in Authorization headers.
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1[redacted]'],
  // SigV4 Authorization header signatures.
  [/(Signature=)[0-9a-f]{64}/gi, '$1[redacted]'],
];

/**
 * Secret values of the credentials in use (registered where they are resolved), the newest last. One set per process,
 * not per copy of this module: every bundle holds its own copy, and the one that registers them (dist/core.js, where
 * credentials are resolved) is not the one that redacts the log and the notifications (dist/extension.js,
 * dist/commands.js, dist/cli.js). The process holds the credentials anyway (the SDK's clients, the environment).
 */
const secretValues: Set<string> = ((globalThis as typeof globalThis & Record<symbol, Set<string> | undefined>)[Symbol.for('ec2ic.redact.secretValues')] ??=
  new Set<string>());
const maxSecretValues = 200;
/** Shorter values would take out ordinary words; real secret keys and tokens are 40 characters and more. */
const minSecretLength = 8;

/**
 * Makes redact() take this value out wherever it appears, also URL-encoded (presigned URLs): the secret access key
 * and session token of credentials, registered as they are resolved, so that a secret printed in a form no pattern
 * knows (a process's error output, a stack) does not leave the process either.
 */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < minSecretLength) return;
  for (const form of new Set([value, encodeURIComponent(value)])) {
    secretValues.delete(form);
    secretValues.add(form);
  }
  while (secretValues.size > maxSecretValues) secretValues.delete(secretValues.values().next().value as string);
}

/**
 * Removes secrets from text (a line, a message, a stack): the registered secret values, then anything shaped like a
 * secret. The one redactor of everything that leaves the process: the log, failure messages, the CLI's stderr.
 * Access key ids stay (they identify, they do not authenticate).
 */
export function redact(text: string): string {
  let out = text;
  for (const value of secretValues) if (out.includes(value)) out = out.split(value).join('[redacted]');
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
