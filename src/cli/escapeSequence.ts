const tilde = 0x7e;
const dot = 0x2e;
const isNewline = (byte: number) => byte === 0x0d || byte === 0x0a;

/**
 * OpenSSH's escape for a session that no key ends (a serial console ignores logout): `~.` at the start of
 * a line ends it, `~~` sends a single `~`; a `~` followed by anything else goes through as typed.
 * Fed the raw bytes typed, in order; keeps a `~` back until the next byte tells what it is.
 */
export class EscapeSequence {
  private atLineStart = true;
  private heldTilde = false;

  /** The bytes to send on, and whether the user asked to end the session (what follows `~.` is dropped). */
  feed(data: Buffer): { send: Buffer; end: boolean } {
    const out: number[] = [];
    for (const byte of data) {
      if (this.heldTilde) {
        this.heldTilde = false;
        if (byte === dot) return { send: Buffer.from(out), end: true };
        if (byte !== tilde) out.push(tilde);
        out.push(byte);
        this.atLineStart = isNewline(byte);
        continue;
      }
      if (this.atLineStart && byte === tilde) {
        this.heldTilde = true;
        continue;
      }
      out.push(byte);
      this.atLineStart = isNewline(byte);
    }
    return { send: Buffer.from(out), end: false };
  }
}
