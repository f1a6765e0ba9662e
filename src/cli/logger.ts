import { createLogger, type Logger } from '../core/base/log';

/**
 * The CLI's log: warnings and errors on stderr, and everything with --debug. Redacted by the root logger.
 * `warnings: false` keeps a component's warnings for --debug, where the command says the same in its own lines
 * (a forward's failed connections, which ec2ic reports once per change).
 */
export function stderrLogger(debug: boolean, options: { warnings?: boolean } = {}): Logger {
  const line = (level: string) => (message: string) => void process.stderr.write(`ec2ic ${level}: ${message}\n`);
  const quiet = () => undefined;
  const warnings = debug || options.warnings !== false;
  return createLogger({
    trace: debug ? line('trace') : quiet,
    debug: debug ? line('debug') : quiet,
    info: debug ? line('info') : quiet,
    warn: warnings ? line('warning') : quiet,
    error: line('error'),
  });
}
