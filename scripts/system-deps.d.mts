export function ensureSystemPackages(...purposes: ('unit' | 'integration' | 'sandbox' | 'e2e' | 'start')[]): void;
