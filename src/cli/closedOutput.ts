/**
 * The exit status when the reader of stdout (or stderr) has gone, as in `ec2ic list | head -1`: `ls | head` is
 * killed by SIGPIPE, which a shell reports as 128 + 13 = 141. Node ignores SIGPIPE and cannot be killed by it,
 * so ec2ic ends with the status a shell would have shown: a script with `set -o pipefail` sees the same as
 * with any other Unix tool, and nothing reads a cut-off listing as complete (0 would).
 */
export const closedOutputStatus = 141;

/**
 * Ends the process quietly, with closedOutputStatus, when a write finds its pipe closed (EPIPE), whatever command
 * wrote: a listing, a remote command's output streaming from its SSH channel, a message on stderr. Without it Node
 * throws the unhandled 'error' event with a stack. Nothing is left to clean up: the SSH connection and tunnel
 * close with the process, and the state file is written atomically under a lock that a dead pid releases.
 */
export function endQuietlyWhenOutputCloses(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(closedOutputStatus);
      throw err;
    });
  }
}
