import { ProductError } from '../errors/productError';

// Apart from keyedConnection.ts (which opens ssh2 connections) so that the proxy's bundle, which has no ssh2, can use them.

/** How long AWS's side may take: the credentials (a credential_process, an MFA code typed), and each key push. */
export interface StageDeadlines {
  credentialsSeconds: number;
  pushSeconds: number;
}

export const defaultDeadlines: StageDeadlines = { credentialsSeconds: 120, pushSeconds: 30 };

export function pushTooSlow(operation: string, who: string, seconds: number): ProductError {
  return new ProductError(
    'timeout',
    `AWS did not answer the key push for ${who} (EC2 Instance Connect ${operation}) within ${seconds} seconds: its API is slow or out of reach from this computer. ` +
      'The instance was not the problem. Try again in a moment; a proxy or firewall between this computer and AWS can also do this.',
    { stage: 'push', operation },
  );
}
