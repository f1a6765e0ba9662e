import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

/** What a TLS connection trusts: Node's own roots plus the certificates NODE_EXTRA_CA_CERTS names. */
export interface Trust {
  ca: string[];
  secureContext: SecureContext;
}

let made: { file: string; trust: Trust | undefined } | undefined;

/**
 * NODE_EXTRA_CA_CERTS, made explicit. Node adds those certificates to its default trust, but VS Code's
 * extension host replaces that trust on every tls.connect (to add the system's certificates, for
 * http.systemCertificates), and the extra ones are lost: a TLS-intercepting proxy's CA named there would be
 * refused in the editor though it works in `ec2ic`. Given explicitly (`ca`, which VS Code then leaves alone),
 * they count in both. The secure context is built once (about 20 ms for Node's 140-odd roots), not per tunnel.
 * Undefined when the variable is not set or its file cannot be read (Node has said why at startup).
 */
export function extraCaTrust(env: NodeJS.ProcessEnv = process.env): Trust | undefined {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return undefined;
  if (made?.file === file) return made.trust;
  let trust: Trust | undefined;
  try {
    const ca = [...rootCertificates, readFileSync(file, 'utf8')];
    trust = { ca, secureContext: createSecureContext({ ca }) };
  } catch {
    trust = undefined;
  }
  made = { file, trust };
  return trust;
}
