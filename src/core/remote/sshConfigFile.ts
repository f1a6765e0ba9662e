import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

import { checkReplaceable, modeOf, readTextIfExists, resolveSymlinks, writeFileAtomic } from '../base/atomicFile';
import { fileWriteFailure } from '../errors/fileFailures';
import {
  configPath,
  lineEndingOf,
  parseConfigLine,
  type PathStyle,
  quoteConfigArg,
  splitLinesKeepingEnds,
} from './sshConfigSyntax';

/**
 * The user's ssh config (`remote.SSH.configFile`, default ~/.ssh/config) gets one line from this
 * extension: an `Include` of the extension's own host file, with a marker comment above it, at the top
 * of the file. The top, because OpenSSH applies an Include inside a `Host` or `Match` block only when that
 * block matches, and because the first value ssh reads for an option wins: our host blocks must come
 * before the user's global defaults and `Host *` blocks. Nothing else in the file changes.
 */

export const includeMarker = '# Added by EC2 Instance Connect for "Open in Remote-SSH". To undo, delete this line and the next.';

/** The argument of the Include line for the extension's host file. */
export function includeArgument(includeFile: string, style: PathStyle): string {
  if (style.platform === 'win32') {
    // Under the home directory, `~/` (Win32-OpenSSH expands it to the profile directory) avoids relying on
    // how each OpenSSH build treats drive letters in Include.
    const file = configPath(includeFile, style);
    const home = configPath(style.home, style).replace(/\/+$/, '');
    const underHome = file.toLowerCase().startsWith(`${home.toLowerCase()}/`);
    return quoteConfigArg(underHome ? `~/${file.slice(home.length + 1)}` : file);
  }
  // Include arguments are glob patterns: escape the pattern characters a path may contain. The path stays
  // absolute: ssh's `~` is the passwd home directory, which can differ from the editor's $HOME.
  return quoteConfigArg(includeFile.replace(/[\\*?[\]]/g, '\\$&'));
}

export function includeLine(includeFile: string, style: PathStyle): string {
  return `Include ${includeArgument(includeFile, style)}`;
}

/** Whether an Include argument (as ssh reads it, after unquoting) names the extension's file. */
function namesFile(arg: string, includeFile: string, style: PathStyle): boolean {
  const windows = style.platform === 'win32';
  // On POSIX the argument is a glob pattern in which a backslash makes the next character literal.
  let path = windows ? arg.replace(/\\/g, '/') : arg.replace(/\\(.)/g, '$1');
  if (path === '~' || path.startsWith('~/')) path = configPath(style.home, style).replace(/\/+$/, '') + path.slice(1);
  const file = configPath(includeFile, style);
  return windows ? path.toLowerCase() === file.toLowerCase() : path === file;
}

function isOurInclude(line: string, includeFile: string, style: PathStyle): boolean {
  const parsed = parseConfigLine(line);
  return parsed?.keyword === 'include' && parsed.args.some((arg) => namesFile(arg, includeFile, style));
}

export type IncludePlan =
  | { kind: 'present'; line: string }
  | { kind: 'add'; line: string; content: string };

/**
 * What the config should become (pure): unchanged when an Include of our file already applies to every
 * host (it comes before the first Host/Match block); otherwise our marker and Include at the top, and any
 * earlier copy of our two lines that ended up inside a block (where it no longer applies) taken out.
 */
export function planInclude(content: string | undefined, includeFile: string, style: PathStyle): IncludePlan {
  const line = includeLine(includeFile, style);
  const original = content ?? '';
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lines = splitLinesKeepingEnds(original.slice(bom.length));

  const firstBlock = lines.findIndex((l) => ['host', 'match'].includes(parseConfigLine(l)?.keyword ?? ''));
  const header = firstBlock === -1 ? lines : lines.slice(0, firstBlock);
  if (header.some((l) => isOurInclude(l, includeFile, style))) return { kind: 'present', line };

  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === includeMarker) {
      // Our marker, and our Include right below it, from an earlier run.
      if (i + 1 < lines.length && isOurInclude(lines[i + 1], includeFile, style)) i++;
      continue;
    }
    kept.push(lines[i]);
  }
  const rest = kept.join('');
  const eol = lineEndingOf(original);
  const separator = rest.trim() === '' ? '' : eol;
  return { kind: 'add', line, content: `${bom}${includeMarker}${eol}${line}${eol}${separator}${rest}` };
}

export interface IncludeOptions extends PathStyle {
  /** Asks the user; nothing is written unless it resolves to true. */
  confirm(line: string, configFile: string): Promise<boolean>;
}

export interface IncludeResult {
  outcome: 'present' | 'added' | 'declined';
  line: string;
  /** The file that was edited (a symlink's target). */
  configFile: string;
  /** Where the previous content was copied, when there was a file and it changed. */
  backupFile?: string;
}

export function backupPathFor(configFile: string): string {
  return `${configFile}.before-ec2ic`;
}

/**
 * Makes sure the user's ssh config includes the extension's host file, asking first. The first time the file
 * is changed, its content is copied beside it (later changes keep that copy: it is the file as the user had
 * it). The new file replaces it atomically with the same permissions and owner (0600 for a new file, as ssh
 * wants). A file that may not be replaced (read-only, another user's, a link to nowhere, an unwritable folder)
 * is left as it is, with a ProductError('fileNotWritable') that names it and ends with the line to add by hand.
 */
export async function ensureInclude(configFileSetting: string, includeFile: string, options: IncludeOptions): Promise<IncludeResult> {
  const byHand = `Or add these two lines at the top of it yourself:\n${includeMarker}\n${includeLine(includeFile, options)}`;
  try {
    return await addInclude(configFileSetting, includeFile, options);
  } catch (err) {
    throw fileWriteFailure(err, byHand);
  }
}

async function addInclude(configFileSetting: string, includeFile: string, options: IncludeOptions): Promise<IncludeResult> {
  const configFile = await resolveSymlinks(configFileSetting);
  const before = await readTextIfExists(configFile);
  const plan = planInclude(before, includeFile, options);
  if (plan.kind === 'present') return { outcome: 'present', line: plan.line, configFile };
  // Said before the question: a file that cannot be changed is not worth asking about.
  await checkReplaceable(configFile);
  if (!(await options.confirm(plan.line, configFile))) return { outcome: 'declined', line: plan.line, configFile };

  // The question may have stayed open for a while: plan again on what the file holds now.
  const current = await readTextIfExists(configFile);
  const final = current === before ? plan : planInclude(current, includeFile, options);
  if (final.kind === 'present') return { outcome: 'present', line: final.line, configFile };

  await fs.mkdir(dirname(configFile), { recursive: true, mode: 0o700 });
  await checkReplaceable(configFile);
  const mode = (await modeOf(configFile)) ?? 0o600;
  let backupFile: string | undefined;
  if (current !== undefined) {
    backupFile = backupPathFor(configFile);
    // The first copy is the user's own file; a later one would be a file this extension already changed.
    if ((await modeOf(backupFile)) === undefined) await writeFileAtomic(backupFile, current, mode);
  }
  await writeFileAtomic(configFile, final.content, mode);
  return { outcome: 'added', line: final.line, configFile, backupFile };
}
