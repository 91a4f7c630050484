// Stopping a remote command that ran out of time or was cancelled, on a node where we log in as root.
//
// The SSH way (a `signal` channel request) does not work there: OpenSSH refuses it unless the session runs
// under post-auth privilege separation, which sshd switches off for root logins (sshd.c privsep_postauth:
// "session signalling requires privilege separation"). Closing the channel does not stop the command either:
// sshd keeps a session with a live child open (session.c session_close_by_channel: "has child").
// So every command is started as
//     env PROXIMITY_RUN=<run id> timeout --kill-after=2 <seconds> <argv...>
// - coreutils `timeout` makes the node itself end the command (TERM, then KILL 2 s later) shortly after our
//   deadline, even when our connection is gone; it signals its whole process group;
// - the run id in the environment (inherited by every child) lets a second, constant command find and TERM
//   the run's processes right away when we time out or cancel first.
// Both go through buildShellCommand like any other argv; the run id is ours (hex), never operator input.
import { randomBytes } from 'node:crypto';

/** Extra time the node gives a command beyond our own deadline, so that ours fires first (SSH_TIMEOUT). */
export const NODE_DEADLINE_GRACE_MS = 1_000;

/** A fresh run id: 16 hex characters. */
export function newRunId(): string {
  return randomBytes(8).toString('hex');
}

/** The argv actually sent: `argv` under `timeout` with the remaining time (+ grace) and tagged with `runId`. */
export function guardedArgv(runId: string, argv: readonly string[], remainingMs: number): string[] {
  const seconds = (Math.max(1, remainingMs + NODE_DEADLINE_GRACE_MS) / 1000).toFixed(3);
  return ['env', `PROXIMITY_RUN=${runId}`, 'timeout', '--kill-after=2', seconds, ...argv];
}

// Constant script; the run id arrives as $1. grep -z reads environ's NUL-separated entries, -x matches a whole
// entry, -l lists the files; the kill script's own processes do not carry the variable.
const KILL_SCRIPT = [
  'grep -lszx -- "PROXIMITY_RUN=$1" /proc/[0-9]*/environ | while IFS= read -r f; do',
  '  p=${f#/proc/}; kill -TERM "${p%/environ}" 2>/dev/null',
  'done',
  'exit 0',
].join('\n');

/** The argv that TERMs every process of run `runId` on the node. */
export function killRunArgv(runId: string): string[] {
  if (!/^[0-9a-f]{16}$/.test(runId)) throw new Error(`invalid run id ${runId}`);
  return ['sh', '-c', KILL_SCRIPT, 'proximity-kill', runId];
}
