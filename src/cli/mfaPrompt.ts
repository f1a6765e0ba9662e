import { createInterface } from 'node:readline';

import { ProductError } from '../core/errors/productError';

/**
 * The CLI's MFA prompt: the code is read from the terminal (the prompt on stderr, so stdout stays the
 * session's). Without a terminal there is nobody to ask, and the failure says so.
 */
export async function askMfaCodeOnTerminal(mfaSerial: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new ProductError(
      'badInput',
      `The profile needs a code of the MFA device ${mfaSerial}, and stdin is not a terminal to ask for it. Run ec2ic in a terminal, or use credentials that need no MFA code.`,
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    for (;;) {
      const code = (await new Promise<string>((resolve) => prompt.question(`MFA code for ${mfaSerial}: `, resolve))).trim();
      if (/^\d{6}$/.test(code)) return code;
      process.stderr.write('The code is the 6 digits the MFA device shows now.\n');
    }
  } finally {
    prompt.close();
  }
}
