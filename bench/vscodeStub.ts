/**
 * A stand-in for the `vscode` module, enough for activate() to run in a plain Node process:
 * every property is a function or object that accepts anything and returns something disposable.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

function anything(path: string): unknown {
  const target = function () {} as unknown as Record<string | symbol, unknown>;
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a thenable
      if (prop === 'dispose') return () => {};
      if (prop === Symbol.toPrimitive) return () => path;
      if (prop === 'fsPath') return `/tmp/vscode-stub/${path}`;
      return anything(`${path}.${String(prop)}`);
    },
    // Properties set (a status bar item's name, text, command) are accepted and forgotten: the target is a
    // function, whose own `name` is read-only.
    set: () => true,
    defineProperty: () => true,
    apply: () => anything(`${path}()`),
    construct: () => anything(`new ${path}`) as object,
  });
}

/** The module's top-level names, read from @types/vscode, so bundlers' namespace copies see them all. */
function vscodeExportNames(): string[] {
  // Resolved from the repository (the working directory), also when this runs bundled from elsewhere.
  const types = readFileSync(require.resolve('@types/vscode/index.d.ts', { paths: [process.cwd()] }), 'utf8');
  const names = [...types.matchAll(/^\t?export (?:namespace|class|enum|const|function|let) (\w+)/gm)].map((m) => m[1]);
  return [...new Set(names)];
}

/**
 * `workspace.getConfiguration(section)` as a user who set nothing sees it: each setting's default from package.json
 * (the stub's `anything` would make every setting a value, such as a `restoreForwards` entry to restore at startup).
 */
function defaultConfiguration(): (section?: string) => unknown {
  const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } | { properties: Record<string, { default?: unknown }> }[] };
  };
  const sections = [manifest.contributes.configuration].flat();
  const defaults = new Map(sections.flatMap((c) => Object.entries(c.properties)).map(([key, p]) => [key, p.default]));
  return (section) => {
    const keyOf = (key: string) => (section ? `${section}.${key}` : key);
    return {
      get: (key: string, fallback?: unknown) => defaults.get(keyOf(key)) ?? fallback,
      has: (key: string) => defaults.has(keyOf(key)),
      inspect: (key: string) => ({ key: keyOf(key), defaultValue: defaults.get(keyOf(key)) }),
      update: async () => {},
    };
  };
}

/** Makes `require('vscode')` return the stub, from now on in this process. */
export function installVscodeStub(): void {
  const stub: Record<string, unknown> = {};
  for (const name of vscodeExportNames()) stub[name] = anything(name);
  const workspace = stub.workspace as Record<string, unknown>;
  const getConfiguration = defaultConfiguration();
  stub.workspace = new Proxy(workspace, { get: (target, prop) => (prop === 'getConfiguration' ? getConfiguration : target[prop as string]) });
  const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
  (Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub } as NodeJS.Module;
}

/** An ExtensionContext good enough for activate(). */
export function stubContext(): unknown {
  const memento = new Map<string, unknown>();
  return {
    subscriptions: [] as { dispose(): void }[],
    globalState: { get: (k: string) => memento.get(k), update: async (k: string, v: unknown) => void memento.set(k, v), keys: () => [...memento.keys()], setKeysForSync() {} },
    workspaceState: { get: () => undefined, update: async () => {}, keys: () => [] },
    globalStorageUri: { fsPath: '/tmp/vscode-stub/globalStorage' },
    extensionUri: { fsPath: process.cwd() },
    extensionPath: process.cwd(),
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {} },
  };
}
