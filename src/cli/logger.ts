import { createLogger, type Logger } from '../core/base/log';

/** The CLI's log: warnings and errors on stderr, and everything with --debug. Redacted by the root logger. */
export function stderrLogger(debug: boolean): Logger {
  const line = (level: string) => (message: string) => void process.stderr.write(`ec2ic ${level}: ${message}\n`);
  const quiet = () => undefined;
  return createLogger({
    trace: debug ? line('trace') : quiet,
    debug: debug ? line('debug') : quiet,
    info: debug ? line('info') : quiet,
    warn: line('warning'),
    error: line('error'),
  });
}
