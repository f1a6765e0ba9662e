export const heavyPackages: string[];
export const notInProxyBundle: string[];
export function activationBundleProblems(metafile: { inputs: Record<string, { imports?: { path: string }[] }> }, packages?: string[]): string[];
export const commandsOnlySources: string[];
export function sourcesUnder(metafile: { inputs: Record<string, unknown> }, prefixes: string[]): string[];
