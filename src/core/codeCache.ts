import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** A bundle required through V8's code cache: its exports, and how to write the cache when it had none to use. */
export interface CachedModule<T> {
  exports: T;
  /** Whether V8 took the cache: the bundle was not compiled again. */
  fromCache: boolean;
  /**
   * Writes the cache (once, and only when none was used): call it once the work that matters has run, so that
   * the cache holds the code of the functions that work compiled too, not only the bundle's top level.
   */
  saveCache(): void;
}

/**
 * Requires `file` (a CommonJS bundle) as require() does, with V8's compiled code kept in a file beside it, so
 * that the next process skips most of the compiling: `ec2ic proxy` starts once for every ssh connection, and
 * compiling its bundle was a third of what it cost before the first byte (bench/proxy.ts). The cache is named
 * after the bundle's content and the V8 version, and V8 refuses one made for other code, flags or versions: a
 * refused or missing cache only means compiling as require() would. It lives in `cacheDir`, by default beside
 * the bundle, where only whoever may change the bundle may write (the editor's copy of the CLI is in a folder
 * only the user can enter); the editor keeps the core's in its own storage, not in the installed extension.
 * Where that folder is not writable there is no cache.
 */
export function requireWithCodeCache<T>(file: string, cacheDir = dirname(file)): CachedModule<T> {
  const source = readFileSync(file, 'utf8');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const cacheFile = join(cacheDir, `${basename(file)}.${hash}.${process.versions.v8.replace(/[^\w.-]/g, '_')}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapper, { filename: file, cachedData });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  let saved = fromCache;
  return {
    exports: module.exports,
    fromCache,
    saveCache() {
      if (saved) return;
      saved = true;
      try {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, cacheFile);
        // Caches of earlier versions of the bundle (or other runtimes' V8) are of no more use once this one is written.
        for (const name of readdirSync(cacheDir)) {
          if (name.startsWith(`${basename(file)}.`) && name.endsWith('.v8cache') && name !== basename(cacheFile)) rmSync(join(cacheDir, name), { force: true });
        }
      } catch {
        // A folder that cannot be written (a system-wide install): no cache, as before.
      }
    },
  };
}
