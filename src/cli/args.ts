import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The options a subcommand takes, in node:util parseArgs' form. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What every subcommand takes, with the AWS CLI's names. */
export const commonOptions = {
  profile: { type: 'string' },
  region: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** A command line that does not parse: said with the option it is about, and the CLI exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  positionals: string[];
  /** A `multiple: true` option (-L) holds every value given, in order. */
  options: Record<string, string | boolean | string[] | undefined>;
  /** Everything after `--` (a command to run on the instance). */
  rest: string[];
}

export interface CommandLine {
  /** Options besides the common ones. */
  options?: OptionSpec;
  /** How many positional arguments it takes before `--` (default 1: the instance id; Infinity: any number). */
  positionals?: number;
  /** Whether `-- command…` is accepted. */
  rest?: boolean;
  /**
   * Other names for some of the options (AWS CLI v2's, where it has the same command), each the option it
   * stands for; `instance-id` may stand for the first positional argument.
   */
  aliases?: Record<string, string>;
}

/** The alias that stands for the instance id argument (AWS CLI v2's `--instance-id ID`). */
export const positionalInstanceId = '<instance-id>';

/**
 * Parses a subcommand's arguments with node:util parseArgs in strict mode: an unknown or misspelled option, an
 * option without its value, a value for a flag, or an extra argument is a UsageError naming it.
 */
export function parseCommandLine(argv: string[], spec: CommandLine): ParsedArgs {
  const options: OptionSpec = { ...commonOptions, ...spec.options };
  for (const [alias, name] of Object.entries(spec.aliases ?? {})) {
    // The same type (and `multiple`), without the canonical option's short form.
    const like = options[name] ?? { type: 'string' };
    options[alias] = like.multiple ? { type: like.type, multiple: true } : { type: like.type };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true, tokens: true });
  } catch (err) {
    throw new UsageError(usageProblem(err, options));
  }
  const terminator = parsed.tokens.find((t) => t.kind === 'option-terminator')?.index;
  const positionals: string[] = [];
  const rest: string[] = [];
  for (const token of parsed.tokens) {
    if (token.kind !== 'positional') continue;
    (terminator !== undefined && token.index > terminator ? rest : positionals).push(token.value);
  }
  const values = { ...parsed.values } as ParsedArgs['options'];
  for (const [alias, name] of Object.entries(spec.aliases ?? {})) {
    if (values[alias] === undefined) continue;
    if (name === positionalInstanceId) {
      if (positionals.length) throw new UsageError(`--${alias} ${String(values[alias])} and "${positionals[0]}": name the instance once`);
      positionals.unshift(String(values[alias]));
    } else if (options[name]?.multiple) {
      // Both names may be repeated together (-L a --local-forwarding b): the values in the order given.
      values[name] = parsed.tokens.flatMap((t) => (t.kind === 'option' && (t.name === name || t.name === alias) && t.value !== undefined ? [t.value] : []));
    } else {
      if (values[name] !== undefined) throw new UsageError(`--${alias} and --${name} are the same option: give one of them`);
      values[name] = values[alias];
    }
    delete values[alias];
  }
  const max = spec.positionals ?? 1;
  if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"${spec.rest ? ' (a command to run goes after --)' : ''}`);
  if (rest.length && !spec.rest) throw new UsageError(`unexpected arguments after --: ${rest.join(' ')}`);
  return { positionals, options: values, rest };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A whole-number option from `min` to `max` (digits only: not `0x16`, `1e3` or blank), undefined when not given;
 * anything else is a usage error that names the option, its value and the range. `what` says what the number
 * is (`a port`, `a whole number of seconds`).
 */
export function wholeNumberOption(args: ParsedArgs, name: string, min: number, max: number, what = 'a whole number'): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`--${name} ${text}: ${what} from ${min} to ${max}.`);
  return value;
}

/** Every value of a repeatable option (`-L a -L b`), in order; none when not given. */
export function stringsOption(args: ParsedArgs, name: string): string[] {
  const value = args.options[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** parseArgs' messages name the option but read like a developer's; this says the same in a line. */
function usageProblem(err: unknown, options: OptionSpec): string {
  const { code, message } = err as { code?: string; message?: string };
  // "Option '-L, --local-forward <value>' argument missing" names the short form first.
  const option = /'(-[^' ,]+)/.exec(message ?? '')?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = Object.keys(options).map((name) => `--${name}`);
    const close = known.find((name) => near(name, option));
    return `unknown option ${option}${close ? ` (did you mean ${close}?)` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const typed = option.replace(/^-+/, '');
    const name = option.startsWith('--') ? typed : (Object.keys(options).find((long) => options[long].short === typed) ?? typed);
    return options[name]?.type === 'boolean' || options[name] === undefined ? `${option} takes no value` : `${option} needs a value`;
  }
  return message ?? String(err);
}

/** One edit apart, or a prefix of it: --usr → --user, --stat → --state. */
function near(candidate: string, typed: string): boolean {
  if (!typed || typed.length < 3) return false;
  if (candidate.startsWith(typed)) return true;
  if (Math.abs(candidate.length - typed.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < candidate.length && j < typed.length) {
    if (candidate[i] === typed[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (candidate.length > typed.length) i++;
    else if (candidate.length < typed.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (candidate.length - i) + (typed.length - j) <= 1;
}
