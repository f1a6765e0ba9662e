import { redact } from '../core/base/log';
import { plainText } from '../core/base/sanitize';

/**
 * One line (or a block, such as a stack with --debug) of ec2ic's own on stderr: a failure, a problem, a note.
 * It goes through the one redactor (secret values of the credentials in use, and anything shaped like a secret)
 * and is plain text, since it can quote AWS, a credential_process, or an exception. The output of a remote
 * command does not come here: it is the user's, written as it arrives.
 */
export function printToStderr(text: string): void {
  process.stderr.write(`${plainText(redact(text), { multiline: true })}\n`);
}
