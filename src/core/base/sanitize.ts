/**
 * Text from AWS (Name tags and other tags, image names, AWS's own error messages) is untrusted: a tag can
 * hold escape sequences that clear a terminal or set its title, carriage returns and line feeds that fake
 * output lines, or bidi overrides that make text read backwards. Everything such text reaches (a terminal,
 * stdout and stderr, a notification, a log line, a quick pick, a tree row) goes through this one module.
 *
 * Removed: escape sequences whole (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, the other `ESC x` pairs, and
 * their C1 forms), C0 and C1 control characters, DEL, and the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069).
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const escapeSequences = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u009d\u0090\u0098\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const lineBreaks = /\r\n|[\r\n\u000b\u000c\u0085\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The text with escape sequences, control characters and bidi overrides removed. Line breaks (LF, CR,
 * CRLF, VT, FF, NEL, U+2028/9) become `\n` with `multiline`, else a space; a tab becomes a space.
 */
export function plainText(text: string, options: { multiline?: boolean } = {}): string {
  return text
    .replace(escapeSequences, '')
    .replace(lineBreaks, options.multiline ? '\n' : ' ')
    .replace(/\t/g, ' ')
    .replace(controls, '');
}

/** Untrusted text on one line: plain, runs of white space as one space, trimmed, at most `max` characters. */
export function oneLine(text: string, max = 256): string {
  const flat = plainText(text).replace(/ {2,}/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * JSON for stdout: JSON.stringify escapes C0 controls but leaves C1 controls, DEL and bidi overrides as
 * they are, which a terminal showing the output would act on. This escapes those too (still valid JSON,
 * the same values once parsed).
 */
export function terminalSafeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
