import type { BuildOptions, Plugin } from 'esbuild';

export const coreIsExternal: Plugin;
export function literalSchemaKeys(text: string): string;
export const sdkBundling: BuildOptions & { plugins: Plugin[] };
export const nodeBundle: BuildOptions;
