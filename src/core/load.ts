import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { type CachedModule, requireWithCodeCache } from './codeCache';
import type * as Core from './core';
import type * as ProxyCore from './proxyCore';

let core: typeof Core | undefined;
let proxyCore: CachedModule<typeof ProxyCore> | undefined;
const cacheAfterMs = 5000;

/**
 * The heavy half of the extension (AWS SDK, ssh2) lives in a second bundle, `dist/core.js`,
 * so that activation stays fast: it is required the first time something needs it, through V8's code cache
 * (codeCache.ts), which more than halves what requiring it costs from the second process on (bench/firstUse.ts).
 * The cache goes in `cacheDir` (the editor's storage), else beside the bundle.
 */
export function loadCore(cacheDir?: string): typeof Core {
  if (core) return core;
  const bundle = join(__dirname, 'core.js');
  if (!existsSync(bundle)) {
    // Run from the sources (tsx, in tests): no bundle to cache; `./core.js` resolves to core.ts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the core, required at run time on first use
    core = require('./core.js') as typeof Core;
    return core;
  }
  const loaded = requireWithCodeCache<typeof Core>(bundle, cacheDir);
  core = loaded.exports;
  if (!loaded.fromCache) {
    // Written once the first use has compiled what it runs (a few seconds on), by a process that lives that
    // long (the editor's, a shell); not at exit, which would hold up an extension host being stopped.
    setTimeout(loaded.saveCache, cacheAfterMs).unref();
  }
  return core;
}

/**
 * The core as loadCore() returns it, required when one of its members is first read: a command that never
 * reads one (`ec2ic proxy`, which has a bundle of its own) does not load it.
 */
export const lazyCore: typeof Core = new Proxy({} as typeof Core, { get: (_, name) => loadCore()[name as keyof typeof Core] });

/**
 * `ec2ic proxy`'s bundle, `dist/proxy.js`: the SDK clients it calls and the tunnel, without ssh2 (see
 * proxyCore.ts), through V8's code cache (codeCache.ts): ssh starts the proxy for every connection.
 */
export function loadProxyCore(): CachedModule<typeof ProxyCore> {
  proxyCore ??= requireWithCodeCache<typeof ProxyCore>(join(__dirname, 'proxy.js'));
  return proxyCore;
}
