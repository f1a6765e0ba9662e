export const heavyPackages: string[];
export const notInProxyBundle: string[];
export function activationBundleProblems(metafile: { inputs: Record<string, { imports?: { path: string }[] }> }, packages?: string[]): string[];
