// One node's SSH: one reused ssh2 connection (keepalive, reconnect on next use), host key pinned on first use,
// a bounded number of concurrent channels, per-command deadlines and capped, streamed output.
import { Client, type ConnectConfig } from 'ssh2';
import { ProximityError } from '../errors';
import { ChannelLimiter, type ChannelUsage } from './channel-limiter';
import { hostKeyAlgorithm, hostKeyFingerprint, hostKeyMismatchError, hostKeyUnconfirmedError, type HostKeyOffer, type HostKeyPinStore } from './host-key-pins';
import { parseNodeSshTarget, type NodeSshTarget, type ParsedNodeSshTarget } from './node-ssh-target';
import { connectionError, type SshEndpoint } from './ssh-errors';
import { guardedArgv, killRunArgv, newRunId } from './remote-run-guard';
import { buildShellCommand } from './shell-quote';
import { AbortedRun, ConnectionGoneSignal, runOnChannel, shortCommand, type CommandResult, type ExecOptions } from './remote-command';

export type { CommandResult, ExecOptions };

/** Longest per-command deadline, ms (what setTimeout can hold: about 24.8 days). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Defaults, chosen for a PVE node on a LAN. */
export const NODE_SSH_DEFAULTS = {
  /** below OpenSSH's MaxSessions default of 10, leaving room for an operator's own session multiplexing */
  maxChannels: 8,
  keepaliveIntervalMs: 15_000,
  /** unanswered keepalives before the connection is declared dead (so about 45 s) */
  keepaliveCountMax: 3,
  /** TCP connect + key exchange + host key check + login */
  connectTimeoutMs: 15_000,
  commandTimeoutMs: 60_000,
  /** stdout + stderr kept per command: 1 MiB */
  maxOutputBytes: 1024 * 1024,
} as const;

export interface NodeSshOptions {
  /** where host key pins are kept (per target.nodeId) */
  pins: HostKeyPinStore;
  /**
   * Asked on first contact (no pin yet) with the presented key; resolve true to pin it and go on. It must answer
   * within `connectTimeoutMs` (it runs inside the handshake). Without it, a first contact fails with
   * `SSH_HOST_KEY_UNCONFIRMED` carrying the fingerprint, for the operator to confirm (then `pins.set`).
   */
  confirmHostKey?: (offer: HostKeyOffer) => Promise<boolean>;
  /** concurrent session channels on the connection; further commands queue (FIFO) */
  maxChannels?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  connectTimeoutMs?: number;
  /** default per-command deadline, ms (queueing + connecting + running) */
  commandTimeoutMs?: number;
  /** default output cap per command, bytes */
  maxOutputBytes?: number;
  now?: () => Date;
}

/** Connection facts for a status view or a test. */
export interface NodeSshUsage extends ChannelUsage {
  connected: boolean;
  /** successful logins so far (1 + reconnects) */
  connects: number;
  /** commands sent again on a new connection because the old one was gone before their channel opened */
  retries: number;
}

interface Live {
  client: Client;
  closed: boolean;
}

/**
 * SSH to one PVE node. Commands are argv arrays (quoted by `buildShellCommand`, the one quoting function).
 * The connection is made on first use and kept; when it drops (server restart, network, keepalive timeout) the
 * next command reconnects, and a command whose channel could not be opened on a dead connection is retried
 * once on a fresh one (it never started). A command that started is never re-run.
 */
export class NodeSshClient {
  readonly nodeId: string;
  private readonly target: ParsedNodeSshTarget;
  private readonly limiter: ChannelLimiter;
  private readonly o: Required<Omit<NodeSshOptions, 'confirmHostKey'>> & Pick<NodeSshOptions, 'confirmHostKey'>;
  private current: { promise: Promise<Live>; live?: Live } | null = null;
  private connects = 0;
  private retries = 0;
  private closed = false;

  /**
   * Throws ProximityError `VALIDATION` for invalid target settings (naming fields, never values), RangeError for a
   * `maxChannels` below 1. Nothing connects until the first command (or `connect()`).
   */
  constructor(target: NodeSshTarget, options: NodeSshOptions) {
    this.target = parseNodeSshTarget(target);
    this.nodeId = this.target.nodeId;
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as NodeSshOptions;
    this.o = { ...NODE_SSH_DEFAULTS, now: () => new Date(), ...given };
    this.limiter = new ChannelLimiter(this.o.maxChannels);
  }

  /**
   * Runs argv on the node and resolves with its exit code and (capped) output.
   * Throws ProximityError: `VALIDATION` (argv has a NUL/lone surrogate/is empty), `SSH_HOST_KEY_UNCONFIRMED`,
   * `SSH_HOST_KEY_MISMATCH`, `SSH_AUTH_FAILED`, `SSH_FAILED` (unreachable; connection lost while the command
   * ran, so it may or may not have completed), `SSH_TIMEOUT` (deadline passed while queued, connecting or
   * running; the command's processes on the node are then TERMed, see remote-run-guard.ts), `COMMAND_FAILED`
   * (non-zero exit or killed by a signal, unless `check: false`; details: argv, exitCode, signal, stderr/stdout
   * tails). Rejects with `signal.reason` when aborted (the command is stopped the same way). RangeError for a
   * `timeoutMs` outside 1..MAX_TIMEOUT_MS.
   * On the node the command runs as `env PROXIMITY_RUN=<id> timeout --kill-after=2 <s> <argv...>` (coreutils),
   * so the node ends it shortly after the deadline even if the connection is gone.
   */
  async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<CommandResult> {
    buildShellCommand(argv); // validates argv before anything waits
    const timeoutMs = opts.timeoutMs ?? this.o.commandTimeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) throw new RangeError(`timeoutMs must be an integer 1..${MAX_TIMEOUT_MS}`);
    const startedAt = Date.now();
    const deadline = new AbortController();
    let phase: 'queued' | 'connecting' | 'running' = 'queued';
    const timer = setTimeout(() => deadline.abort(new TimeoutMarker()), timeoutMs);
    const onAbort = () => deadline.abort(opts.signal!.reason);
    if (opts.signal?.aborted) deadline.abort(opts.signal.reason);
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    let release: (() => void) | undefined;
    try {
      release = await this.limiter.acquire(deadline.signal);
      for (let attempt = 0; ; attempt++) {
        phase = 'connecting';
        const live = await raceAbort(this.connection(), deadline.signal);
        phase = 'running';
        const runId = newRunId();
        const command = buildShellCommand(guardedArgv(runId, argv, timeoutMs - (Date.now() - startedAt)));
        try {
          return await runOnChannel(live.client, command, argv, {
            ...opts,
            nodeId: this.nodeId,
            maxOutputBytes: opts.maxOutputBytes ?? this.o.maxOutputBytes,
            signal: deadline.signal,
            connectionClosed: () => live.closed,
          });
        } catch (e) {
          if (e instanceof AbortedRun) this.killRun(live, runId);
          if (e instanceof ConnectionGoneSignal && attempt === 0) {
            this.retries++;
            this.drop(live);
            continue;
          }
          if (e instanceof ConnectionGoneSignal) throw connectionError(e.cause, this.endpoint());
          throw e;
        }
      }
    } catch (e) {
      const reason: unknown = deadline.signal.reason;
      const aborted = deadline.signal.aborted && (e === reason || (e instanceof AbortedRun && e.abortReason === reason));
      if (!aborted) throw e;
      if (e instanceof AbortedRun && release) {
        // the killed command's channel keeps its slot until it is really closed (sshd's MaxSessions counts it)
        const free = release;
        release = undefined;
        void e.channelClosed.then(free);
      }
      if (!(reason instanceof TimeoutMarker)) throw reason;
      const partial = e instanceof AbortedRun ? e.partial : undefined;
      throw new ProximityError('SSH_TIMEOUT', `\`${shortCommand(argv)}\` on node ${this.nodeId} did not finish within ${timeoutMs} ms (${phase}).`, {
        details: { nodeId: this.nodeId, argv: [...argv], timeoutMs, phase, ...(partial ? { partial } : {}) },
      });
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      release?.();
    }
  }

  /** Connects (and logs in) now if not connected. Same errors as `exec` for the connection part. */
  async connect(): Promise<void> {
    await this.connection();
  }

  usage(): NodeSshUsage {
    return { ...this.limiter.usage(), connected: !!this.current?.live && !this.current.live.closed, connects: this.connects, retries: this.retries };
  }

  /** Closes the connection; later calls fail with `SSH_FAILED`. Running commands end with `SSH_FAILED`. */
  async close(): Promise<void> {
    this.closed = true;
    const cur = this.current;
    this.current = null;
    const live = await cur?.promise.catch(() => undefined);
    if (live && !live.closed) {
      await new Promise<void>((resolve) => {
        // a polite SSH disconnect; a server that does not answer it within 2 s gets the socket closed under it
        const force = setTimeout(() => live.client.destroy(), 2_000);
        live.client.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        live.client.end();
      });
    }
  }

  /**
   * TERMs the processes of an aborted or timed-out run on the node (see remote-run-guard.ts), on a channel of
   * its own outside the cap (it is short, and the cap leaves room below sshd's MaxSessions). Best effort: if it
   * fails, the node's own `timeout` ends the command shortly after its deadline.
   */
  private killRun(live: Live, runId: string): void {
    if (live.closed) return;
    void runOnChannel(live.client, buildShellCommand(killRunArgv(runId)), ['kill', `run ${runId}`], {
      nodeId: this.nodeId,
      maxOutputBytes: 4096,
      signal: AbortSignal.timeout(10_000),
      connectionClosed: () => live.closed,
      check: false,
    }).catch(() => {});
  }

  private endpoint(): SshEndpoint {
    const t = this.target;
    return { nodeId: t.nodeId, host: t.host, port: t.port, user: t.user, authKind: t.auth.kind };
  }

  private connection(): Promise<Live> {
    if (this.closed) return Promise.reject(new ProximityError('SSH_FAILED', `The SSH client for node ${this.nodeId} is closed.`));
    if (this.current && !this.current.live?.closed) return this.current.promise;
    const entry: { promise: Promise<Live>; live?: Live } = { promise: this.openConnection() };
    this.current = entry;
    entry.promise.then(
      (live) => {
        entry.live = live;
        if (this.closed || this.current !== entry) live.client.end();
      },
      () => {
        if (this.current === entry) this.current = null;
      },
    );
    return entry.promise;
  }

  private drop(live: Live): void {
    live.closed = true;
    if (this.current?.live === live) this.current = null;
    live.client.destroy();
  }

  private openConnection(): Promise<Live> {
    const t = this.target;
    return new Promise<Live>((resolve, reject) => {
      const client = new Client();
      const live: Live = { client, closed: false };
      let hostKeyError: ProximityError | undefined;
      // a first-contact key the operator confirmed; pinned once the handshake proves the server holds it
      let confirmed: HostKeyOffer | undefined;
      let pinWrite: Promise<void> = Promise.resolve();
      let ready = false;
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        live.closed = true;
        client.destroy();
        reject(hostKeyError ?? connectionError(err, this.endpoint()));
      };
      // After `ready`, errors are followed by `close`, which is what marks the connection dead.
      client.on('error', (err) => {
        if (!ready) fail(err);
      });
      client.on('close', () => {
        live.closed = true;
        if (!ready) fail(Object.assign(new Error('the server closed the connection during the SSH handshake'), { level: 'protocol' }));
        else if (this.current?.live === live) this.current = null;
      });
      client.once('handshake', () => {
        if (confirmed) pinWrite = this.pin(confirmed);
      });
      client.once('ready', () => {
        pinWrite.then(
          () => {
            if (settled) return;
            ready = true;
            settled = true;
            this.connects++;
            resolve(live);
          },
          (e: unknown) => fail(new ProximityError('SSH_FAILED', `Pinning the host key of node ${this.nodeId} failed: ${String((e as Error)?.message ?? e)}`, { cause: e })),
        );
      });
      const config: ConnectConfig = {
        host: t.host,
        port: t.port,
        username: t.user,
        readyTimeout: this.o.connectTimeoutMs,
        keepaliveInterval: this.o.keepaliveIntervalMs,
        keepaliveCountMax: this.o.keepaliveCountMax,
        tryKeyboard: false,
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          this.verifyHostKey(key).then(
            (firstContact) => {
              confirmed = firstContact;
              verify(true);
            },
            (e: unknown) => {
              hostKeyError = e instanceof ProximityError ? e : new ProximityError('SSH_FAILED', `Checking the host key of node ${this.nodeId} failed: ${String((e as Error)?.message ?? e)}`, { cause: e });
              verify(false);
            },
          );
        },
        ...(t.auth.kind === 'key' ? { privateKey: t.auth.privateKey, passphrase: t.auth.passphrase } : { password: t.auth.password }),
      };
      try {
        client.connect(config);
      } catch (e) {
        // ssh2 parses the private key synchronously; its messages name the problem, never the key material
        settled = true;
        reject(new ProximityError('VALIDATION', `The SSH private key for node ${this.nodeId} cannot be used: ${(e as Error).message}.`, { cause: e }));
      }
    });
  }

  /**
   * Accepts the pinned key; refuses a different one (SSH_HOST_KEY_MISMATCH) or an unpinned one the operator did
   * not confirm (SSH_HOST_KEY_UNCONFIRMED). Resolves with the offer when it is a confirmed first contact.
   */
  private async verifyHostKey(key: Buffer): Promise<HostKeyOffer | undefined> {
    const t = this.target;
    const offer: HostKeyOffer = { nodeId: t.nodeId, host: t.host, port: t.port, fingerprint: hostKeyFingerprint(key), algorithm: hostKeyAlgorithm(key) };
    const pinned = await this.o.pins.get(t.nodeId);
    if (pinned) {
      if (pinned.fingerprint === offer.fingerprint) return undefined;
      throw hostKeyMismatchError(offer, pinned);
    }
    if (!this.o.confirmHostKey || !(await this.o.confirmHostKey({ ...offer }))) throw hostKeyUnconfirmedError(offer);
    return offer;
  }

  private pin(offer: HostKeyOffer): Promise<void> {
    return this.o.pins.set(offer.nodeId, { fingerprint: offer.fingerprint, algorithm: offer.algorithm, pinnedAt: this.o.now().toISOString() });
  }
}

class TimeoutMarker extends Error {
  constructor() {
    super('deadline passed');
  }
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
