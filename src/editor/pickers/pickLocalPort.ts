import { cancelled } from '../../core/errors/productError';
import { hostPort } from '../../core/forward/forwardSpec';
import type { Services } from '../services/services';

/** The port a forward listens on here, when nothing was asked: the remote one, else the remote one + 10000 (8080 → 18080), else any free one (0). */
export async function suggestLocalPort(services: Services, bind: string, remotePort: number): Promise<number> {
  const { freeLocalPort } = services.core();
  for (const candidate of [remotePort, remotePort + 10000]) {
    if (candidate > 65535) continue;
    if ((await freeLocalPort(bind, candidate)) === candidate) return candidate;
  }
  return 0;
}

export function localPortProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed) || Number(trimmed) > 65535) return 'A port is a number from 0 to 65535 (0: any free port).';
  return undefined;
}

/** Asks for the local port, prefilled with `suggested` (`taken`: the port that could not be had). Throws `cancelled()` when dismissed. */
export async function askLocalPort(services: Services, options: { bind: string; suggested: number; title: string; taken?: number }): Promise<number> {
  const where = options.bind === '127.0.0.1' ? 'this computer only' : `${options.bind}: other computers on your network can reach it`;
  const taken = options.taken !== undefined ? `Port ${options.taken} is not free on this computer. ` : '';
  const text = await services.ui.input({
    title: options.title,
    prompt: `${taken}The port on this computer (listening on ${hostPort(options.bind, options.suggested)}, ${where}); 0 picks any free port.`,
    value: String(options.suggested),
    validate: localPortProblem,
  });
  if (text === undefined) throw cancelled();
  return Number(text.trim());
}
