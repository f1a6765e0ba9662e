import { utils } from 'ssh2';

import { isWellFormed } from '../../src/core/ssh/keys';

/** An ed25519 pair straight from ssh2, minus the 1 in 256 it generates malformed (see isWellFormed). */
export function ed25519Pair(comment?: string): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519', comment ? { comment } : undefined);
    if (isWellFormed(pair)) return pair;
  }
}
