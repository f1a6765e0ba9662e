/** One word for a POSIX shell, in single quotes (a `'` inside becomes `'\''`): for commands run on an instance. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_./=:@%+,-]+$/.test(value) && !value.startsWith('-')) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
