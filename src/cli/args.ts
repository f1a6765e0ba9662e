/** A small argument parser for `ec2ic`: positionals, `--flag value`, `--flag=value`, booleans, and `--` rest. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | true>;
  /** Everything after `--`. */
  rest: string[];
}

export function parseArgs(argv: string[], booleans: readonly string[] = []): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: {}, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      if (eq !== -1) out.options[name] = arg.slice(eq + 1);
      else if (booleans.includes(name) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) out.options[name] = true;
      else out.options[name] = argv[++i];
    } else if (arg === '-h') {
      out.options.help = true;
    } else {
      out.positionals.push(arg);
    }
  }
  return out;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}
