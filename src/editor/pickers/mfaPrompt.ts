import { cancelled } from '../../core/errors/productError';
import type { Ui } from '../services/ui';

/**
 * The MFA code a profile with `mfa_serial` needs, asked with an input box when its credentials are first
 * resolved (once per profile: AwsClients shares them until they expire). Dismissing it cancels what needed it.
 */
export function mfaCodeAsker(ui: Ui): (mfaSerial: string) => Promise<string> {
  return async (mfaSerial) => {
    const code = await ui.input({
      title: 'MFA code',
      prompt: `Enter the current code of the MFA device ${mfaSerial}`,
      placeholder: '123456',
      validate: (text) => (/^\d{6}$/.test(text.trim()) ? undefined : 'The code is the 6 digits the MFA device shows now.'),
    });
    if (code === undefined) throw cancelled();
    return code.trim();
  };
}
