export const heavyPackages: string[];
export function activationBundleProblems(metafile: { inputs: Record<string, { imports?: { path: string }[] }> }): string[];
