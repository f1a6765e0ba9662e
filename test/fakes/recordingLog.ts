import { createLogger, type Logger } from '../../src/core/base/log';

/** A root logger (so lines are redacted as in the product) whose lines the test reads, each `level message`. */
export function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  const logger = createLogger({ trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') });
  return Object.assign(logger, { lines });
}
