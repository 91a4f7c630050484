// One remote command on one session channel: exec, stdin, capped and streamed output, exit status, abort.
import type { Client, ClientChannel } from 'ssh2';
import { ProximityError } from '../errors';
import { OutputCollector, type CollectedOutput, type LineListener } from './output-collector';

export interface ExecOptions {
  /** deadline for this command in ms, from the call (queueing + connecting + running); default: the client's */
  timeoutMs?: number;
  /** bytes of stdout + stderr kept (and streamed as lines); the rest is dropped and `truncated` set */
  maxOutputBytes?: number;
  /** receives each complete output line as it arrives (within the cap) */
  onLine?: LineListener;
  /** written to the command's stdin, then stdin is closed (it is always closed, so nothing waits on it) */
  stdin?: string | Buffer;
  /** aborts the command: waiting, connecting or running (the channel is signalled KILL and closed) */
  signal?: AbortSignal;
  /** default true: a non-zero exit or a signal throws `COMMAND_FAILED`; false resolves with the result */
  check?: boolean;
}

/** How a remote command ended, with its output (kept up to the cap). */
export interface CommandResult {
  argv: string[];
  /** null when the command was killed by a signal */
  exitCode: number | null;
  /** the signal that ended the command, as ssh2 reports sshd's exit-signal (e.g. `SIGKILL`); null on a normal exit */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** the kept bytes exactly as sent (stdout/stderr above are their UTF-8 decoding) */
  stdoutBytes: Buffer;
  stderrBytes: Buffer;
  truncated: boolean;
  /** bytes of output received, kept or not */
  outputBytes: number;
  durationMs: number;
}

/** runOnChannel's rejection when its signal aborted; carries the output so far. */
export class AbortedRun extends Error {
  constructor(
    readonly abortReason: unknown,
    readonly partial: OutputTails,
    /** resolves once the channel is closed (the command was killed or the channel forced shut) */
    readonly channelClosed: Promise<void>,
  ) {
    super('aborted');
  }
}

/** The channel could not be opened because the connection had already gone: the command never started. */
export class ConnectionGoneSignal extends Error {
  constructor(override readonly cause: unknown) {
    super('the SSH connection was gone before the channel opened');
  }
}

export interface OutputTails {
  stdout: string;
  stderr: string;
  truncated: boolean;
}

const TAIL_CHARS = 4096;

interface RunOptions extends ExecOptions {
  nodeId: string;
  maxOutputBytes: number;
  signal: AbortSignal;
  /** whether the connection this channel belongs to has closed */
  connectionClosed: () => boolean;
}

/**
 * Runs `command` (built by buildShellCommand from `argv`, possibly under the run guard) on a new session
 * channel of `client`; `argv` is what messages and results show.
 * Rejects with ConnectionGoneSignal (safe to retry), AbortedRun, or ProximityError `SSH_FAILED` /
 * `COMMAND_FAILED` (see NodeSshClient.exec).
 */
export function runOnChannel(client: Client, command: string, argv: readonly string[], o: RunOptions): Promise<CommandResult> {
  return new Promise<CommandResult>((resolve, reject) => {
    const started = performance.now();
    const collector = new OutputCollector(o.maxOutputBytes, o.onLine);
    let channel: ClientChannel | undefined;
    let execPending = false;
    let finished = false;
    const finish = (settle: () => void) => {
      if (finished) return;
      finished = true;
      o.signal.removeEventListener('abort', onAbort);
      settle();
    };
    // Settles when the abort's channel (if any) is closed; until then it still counts against the channel cap.
    let channelClosed: () => void = () => {};
    const closedAfterAbort = new Promise<void>((r) => (channelClosed = r));
    const onAbort = () =>
      finish(() => {
        if (channel) killAndClose(channel, channelClosed);
        else if (!execPending) channelClosed();
        reject(new AbortedRun(o.signal.reason, tails(collector.snapshot()), closedAfterAbort));
      });
    if (o.signal.aborted) return onAbort();
    o.signal.addEventListener('abort', onAbort, { once: true });

    const onExec = (err: Error | undefined, ch: ClientChannel) => {
      execPending = false;
      if (err) {
        channelClosed();
        return finish(() => reject(execError(err, argv, o)));
      }
      if (finished) {
        // aborted while the exec request was in flight: the command may have started, so it is killed too
        killAndClose(ch, channelClosed);
        return;
      }
      channel = ch;
      let exit: { code: number | null; signal: string | null } | undefined;
      ch.on('exit', (code: number | null, signal?: string) => {
        exit = { code: code ?? null, signal: signal ?? null };
      });
      // after an abort, output still arriving is dropped (no more lines for the caller)
      ch.on('data', (d: Buffer) => finished || collector.push('stdout', d));
      ch.stderr.on('data', (d: Buffer) => finished || collector.push('stderr', d));
      ch.on('error', () => {
        /* followed by close, which settles */
      });
      ch.on('close', () =>
        finish(() => {
          const out = collector.finish();
          if (!exit) {
            reject(new ProximityError('SSH_FAILED', `The SSH connection to node ${o.nodeId} was lost while \`${shortCommand(argv)}\` ran; it may or may not have completed.`, {
              details: { nodeId: o.nodeId, argv: [...argv], partial: tails(out) },
            }));
            return;
          }
          const result = toResult(argv, exit, out, performance.now() - started);
          if (o.check !== false && (result.exitCode !== 0 || result.signal !== null)) reject(commandFailed(o.nodeId, result));
          else resolve(result);
        }),
      );
      if (o.stdin !== undefined) ch.end(o.stdin);
      else ch.end();
    };

    try {
      execPending = true;
      client.exec(command, onExec);
    } catch (e) {
      execPending = false;
      channelClosed();
      // ssh2 throws `Not connected` synchronously when the socket is no longer writable
      finish(() => reject(new ConnectionGoneSignal(e)));
    }
  });
}

/**
 * Asks sshd to KILL the command (works for non-root logins) and closes our side of the channel; calls `closed`
 * when sshd closes it too, which it does only once the command has ended (see remote-run-guard.ts for how the
 * command is ended when sshd will not signal it).
 */
function killAndClose(ch: ClientChannel, closed: () => void): void {
  ch.once('close', () => closed());
  killRemote(ch);
  ch.close();
}

/**
 * Sends a `signal` channel request (RFC 4254 §6.9) for KILL. sshd (OpenSSH >= 7.8) delivers it with killpg() to
 * the session's process group, but only for sessions under privilege separation, i.e. not for root logins.
 * ssh2's `ClientChannel.signal()` only sends while our side is writable, but stdin is closed (EOF) right after
 * the start; requests are still valid after EOF (only data is not, RFC 4254 §5.3), so it goes through ssh2's
 * protocol object. Best effort: a server that refuses it answers with a failure we ignore.
 */
function killRemote(ch: ClientChannel): void {
  const c = ch as unknown as { outgoing?: { id: number; state: string }; _client?: { _protocol?: { signal(id: number, sig: string): void } } };
  try {
    if (c.outgoing && (c.outgoing.state === 'open' || c.outgoing.state === 'eof')) c._client?._protocol?.signal(c.outgoing.id, 'KILL');
  } catch {
    /* connection already gone */
  }
}

/** Maps a failed exec: before the channel opened on a dead connection = retryable; otherwise SSH_FAILED. */
function execError(err: Error, argv: readonly string[], o: RunOptions): Error {
  // ssh2 reports a failed (or unanswered) `exec` request on an open channel as `Unable to exec`: the server may
  // have started the command, so this is never retried.
  const execRequestFailed = err.message === 'Unable to exec';
  if (!execRequestFailed && o.connectionClosed()) return new ConnectionGoneSignal(err);
  const msg = execRequestFailed
    ? o.connectionClosed()
      ? `The SSH connection to node ${o.nodeId} was lost while starting \`${shortCommand(argv)}\`; it may or may not have run.`
      : `The node ${o.nodeId} refused to run \`${shortCommand(argv)}\` (sshd denied the exec request).`
    : `Could not open an SSH channel to node ${o.nodeId}: ${err.message} (is sshd's MaxSessions below our channel limit?).`;
  return new ProximityError('SSH_FAILED', msg, { details: { nodeId: o.nodeId, argv: [...argv] }, cause: err });
}

function toResult(argv: readonly string[], exit: { code: number | null; signal: string | null }, out: CollectedOutput, durationMs: number): CommandResult {
  return {
    argv: [...argv],
    exitCode: exit.code,
    signal: exit.signal,
    stdout: out.stdout.toString('utf8'),
    stderr: out.stderr.toString('utf8'),
    stdoutBytes: out.stdout,
    stderrBytes: out.stderr,
    truncated: out.truncated,
    outputBytes: out.totalBytes,
    durationMs: Math.round(durationMs),
  };
}

/** `COMMAND_FAILED` for a result: the message ends with the last stderr line, details carry the tails. */
export function commandFailed(nodeId: string, r: CommandResult): ProximityError {
  const how = r.signal !== null ? `was killed by ${r.signal}` : `exited with code ${r.exitCode}`;
  const last = lastLine(r.stderr) ?? lastLine(r.stdout);
  return new ProximityError('COMMAND_FAILED', `\`${shortCommand(r.argv)}\` on node ${nodeId} ${how}${last ? `: ${last}` : '.'}`, {
    details: { nodeId, argv: r.argv, exitCode: r.exitCode, signal: r.signal, stderr: r.stderr.slice(-TAIL_CHARS), stdout: r.stdout.slice(-TAIL_CHARS), truncated: r.truncated },
  });
}

function tails(out: CollectedOutput): OutputTails {
  return { stdout: out.stdout.toString('utf8').slice(-TAIL_CHARS), stderr: out.stderr.toString('utf8').slice(-TAIL_CHARS), truncated: out.truncated };
}

function lastLine(text: string): string | undefined {
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).pop();
  return line && (line.length > 300 ? `${line.slice(0, 299)}…` : line);
}

/** The argv as an operator reads it in a message (never for running: that is buildShellCommand's job). */
export function shortCommand(argv: readonly string[], max = 160): string {
  const s = argv.map((w) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : JSON.stringify(w))).join(' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
