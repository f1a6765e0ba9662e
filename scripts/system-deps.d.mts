/** Installs (as root) or names the Debian packages a purpose needs; exits the process when they are missing. */
export function ensureSystemPackages(purpose: 'test' | 'start'): void;
