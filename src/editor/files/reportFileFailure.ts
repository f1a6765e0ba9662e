import { describeThrown, redact } from '../../core/base/log';
import { oneLine } from '../../core/base/sanitize';
import { isProductError } from '../../core/errors/productError';
import type { FailureContext } from '../../core/errors/types';
import { isRemoteFileError } from '../../core/files/fileErrors';
import { type FailureHandlers, reportFailure } from '../failures/reportFailure';
import type { Services } from '../services/services';

const retryTitle = 'Retry';
const showLogTitle = 'Show Log';

/**
 * A failed file command as a notification. Reaching the instance (the key push, SSH, AWS's answers) fails as
 * Connect does, and is reported as Connect's failures are, with their actions. What the file operation itself
 * met (a missing file, a denied write, sudo's refusal, a local folder that cannot be written) is said in its
 * own words, which name the path and the instance, with Retry when the caller can retry.
 */
export async function reportFileFailure(services: Services, err: unknown, ctx: FailureContext, what: string, handlers: FailureHandlers = {}): Promise<void> {
  if (!isOwnFailure(err)) return reportFailure(services, err, { ...ctx, operation: 'connect' }, handlers);
  try {
    services.log.error(`[files] could not ${what}: ${describeThrown(err)}`);
    const message = isRemoteFileError(err) ? err.message : `Could not ${what}: ${oneLine(redact(err instanceof Error ? err.message : String(err)), 1000)}`;
    const chosen = await services.ui.showMessage('error', message, [...(handlers.retry ? [retryTitle] : []), showLogTitle]);
    if (chosen === showLogTitle) services.showLog();
    if (chosen === retryTitle) await handlers.retry?.();
  } catch (unexpected) {
    services.log.error(`[files] could not show the failure to ${what}: ${describeThrown(unexpected)}`);
  }
}

/** Not the connection's: a RemoteFileError, or a plain Error (sudo tee's status, a local file's errno). */
function isOwnFailure(err: unknown): boolean {
  if (isRemoteFileError(err)) return true;
  if (isProductError(err) || !(err instanceof Error)) return false;
  return err.name === 'Error' && !('$metadata' in err);
}
