// The request layer between Proximity and one Proxmox VE API endpoint.
//
// `proxmox-api` gives the typed path proxy (`api.nodes.$(node).lxc.$get()`): it builds the URL and encodes the
// parameters (true/false -> 1/0, arrays -> repeated keys, null dropped). Everything on the wire is ours, through
// its `fetch` option: the pinned TLS connection, auth headers (token, or ticket + CSRF with renewal), the answer's
// status, reason phrase, `errors`, `total` and `changes`, error codes from those facts, retries of idempotent reads,
// and one re-login on an expired ticket with either 401 text (proxmox-api 1.1.1 only knows the pre-8.4.17 one).
//
// proxmox-api is handed an already-decided answer: `{"data":null}` on success (the real data stays with us, so
// big answers are parsed once), and a thrown error otherwise. It retries a throwing fetch once; our fetch never
// sends twice for one call, so that retry only rethrows.
import { isIP } from 'node:net';
import proxmoxApi, { ProxmoxEngine, type Proxmox } from 'proxmox-api';
import { Response, type Agent } from 'undici';
import type { z } from 'zod';
import { ProximityError } from '../errors';
import { AuthSession, pveAuthSchema, ticketAnswerSchema, type PveAuth } from './pve-auth';
import { answerDetails, isTransientReadError, pveErrorFromAnswer, pveNetworkError, type PveAnswer } from './pve-errors';
import { createPinnedAgent, normalizeFingerprint, sendPinned } from './pinned-fetch';
import { cancelledError, withRetry, type RetryPolicy } from './retry';

export type { PveAuth } from './pve-auth';
export type { PveAnswer } from './pve-errors';

const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
/** proxmox-api validates a token's shape; the real auth headers are set by our fetch, so it gets a placeholder */
const PLACEHOLDER_TOKEN = { tokenID: 'proximity@pve!request-layer', tokenSecret: '00000000-0000-0000-0000-000000000000' };

/** Construction options of PveClient. */
export interface PveClientOptions {
  /** a DNS name, an IPv4 address or a bare IPv6 address (bracketed here when the URL is built) */
  host: string;
  /** default 8006 */
  port?: number;
  /** pinned SHA-256 fingerprint of the API's certificate (any form normalizeFingerprint accepts) */
  fingerprint: string;
  auth: PveAuth;
  /** per request, from sending to the last body byte (default 30 000 ms) */
  requestTimeoutMs?: number;
  /** retries of idempotent reads (GET) on 5xx / network failure (default 3 attempts from 200 ms) */
  readRetry?: Partial<RetryPolicy>;
  /** largest answer body kept, bytes (default MAX_ANSWER_BYTES, 64 MiB); a larger one fails PVE_API_ERROR */
  maxAnswerBytes?: number;
  /** renew a ticket older than this (default 60 min; PVE tickets live 2 h) */
  renewTicketAfterMs?: number;
  /** observes every answer and the ms spent on the wire for it (sending to last body byte) */
  onAnswer?: (answer: PveAnswer, wireMs: number) => void;
}

/** Options of one call. */
export interface PveCallOptions<T> {
  /** zod schema for `data`; an answer that does not match throws PVE_API_ERROR */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
  /** retry transient failures: default true for GET, false otherwise (dispatch retries live in tasks.ts) */
  retry?: boolean;
  /** overrides the client's requestTimeoutMs */
  timeoutMs?: number;
}

/** A successful answer: `data` (validated when a schema was given) plus PVE's `total` / `changes`. */
export interface PveResult<T> {
  data: T;
  total?: number;
  changes?: string;
}

interface CallContext {
  signal?: AbortSignal;
  timeoutMs: number;
  noAuth: boolean;
  sent: boolean;
  method?: string;
  authHeaders?: Record<string, string>;
  answer?: PveAnswer;
  error?: ProximityError;
}

/** One Proxmox VE API endpoint (host:port) with one pinned certificate and one set of credentials. */
export class PveClient {
  readonly host: string;
  readonly port: number;
  readonly fingerprint: string;
  readonly auth: AuthSession;
  /** requests sent (including logins); ClusterState and the bench read it */
  requestCount = 0;
  private readonly agent: Agent;
  private closing?: Promise<void>;
  private readonly urlHost: string;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes?: number;
  private readonly readRetry: Partial<RetryPolicy>;
  private readonly onAnswer?: (a: PveAnswer, wireMs: number) => void;

  /** Throws VALIDATION for a malformed fingerprint or credentials. Opens no connection yet. */
  constructor(opts: PveClientOptions) {
    const auth = pveAuthSchema.safeParse(opts.auth);
    if (!auth.success) {
      throw new ProximityError('VALIDATION', `Invalid Proxmox VE credentials: ${auth.error.issues.map((i) => i.message).join('; ')}`);
    }
    this.host = opts.host;
    this.port = opts.port ?? 8006;
    this.fingerprint = normalizeFingerprint(opts.fingerprint);
    this.urlHost = isIP(opts.host) === 6 ? `[${opts.host}]` : opts.host;
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.maxAnswerBytes = opts.maxAnswerBytes;
    this.readRetry = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2000, ...opts.readRetry };
    this.onAnswer = opts.onAnswer;
    this.agent = createPinnedAgent({ fingerprint: this.fingerprint });
    // login and renewal go through the same request layer, without auth headers
    this.auth = new AuthSession({ auth: auth.data, renewAfterMs: opts.renewTicketAfterMs }, async (username, password) => {
      const r = await this.request((api) => api.access.ticket.$post({ username, password }), { schema: ticketAnswerSchema, retry: false }, true);
      return r.data;
    });
  }

  /**
   * One API call through the typed path proxy, e.g. `client.call((api) => api.nodes.$(node).status.$get(), {schema})`.
   * Returns `{data, total?, changes?}`. Throws ProximityError: PVE_AUTH_FAILED, PVE_PERMISSION_DENIED,
   * PVE_NOT_FOUND, PVE_LOCKED, CONFLICT, PVE_NODE_OFFLINE, PVE_API_ERROR (with details {method, path, status,
   * reason, errors?}), PVE_UNREACHABLE / TLS_FINGERPRINT_MISMATCH (no answer), PVE_TIMEOUT, CANCELLED.
   * The `fn` must make exactly one proxy call.
   */
  call<T = unknown>(fn: (api: Proxmox.Api) => Promise<unknown>, opts: PveCallOptions<T> = {}): Promise<PveResult<T>> {
    return this.request(fn, opts, false);
  }

  private async request<T>(fn: (api: Proxmox.Api) => Promise<unknown>, opts: PveCallOptions<T>, noAuth: boolean): Promise<PveResult<T>> {
    const once = () => this.callOnce(fn, opts, noAuth);
    const answer = await withRetry(once, (e) => isTransientReadError(e) && (opts.retry ?? answerMethod(e) === 'GET'), {
      policy: this.readRetry,
      signal: opts.signal,
    });
    let data = answer.data as T;
    if (opts.schema) {
      const parsed = opts.schema.safeParse(answer.data);
      if (!parsed.success) {
        throw new ProximityError('PVE_API_ERROR', `Proxmox VE sent an answer Proximity does not understand for ${answer.method} ${answer.path}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ')}`, {
          details: { method: answer.method, path: answer.path, status: answer.status, reason: answer.reason, issues: parsed.error.issues.slice(0, 10) },
        });
      }
      data = parsed.data;
    }
    const out: PveResult<T> = { data };
    if (answer.total !== undefined) out.total = answer.total;
    if (answer.changes !== undefined) out.changes = answer.changes;
    return out;
  }

  /** `call` returning only `data`. */
  async get<T>(fn: (api: Proxmox.Api) => Promise<unknown>, schema: z.ZodType<T>, opts: Omit<PveCallOptions<T>, 'schema'> = {}): Promise<T> {
    return (await this.call(fn, { ...opts, schema })).data;
  }

  /** Closes the pinned connection pool; calls after this fail. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.agent.close();
    return this.closing;
  }

  private async callOnce(fn: (api: Proxmox.Api) => Promise<unknown>, opts: PveCallOptions<unknown>, noAuth: boolean): Promise<PveAnswer> {
    for (let reauthenticated = false; ; reauthenticated = true) {
      const ctx: CallContext = { signal: opts.signal, timeoutMs: opts.timeoutMs ?? this.timeoutMs, noAuth, sent: false };
      try {
        await fn(this.proxyFor(ctx));
      } catch (e) {
        if (!ctx.error) {
          throw new ProximityError('INTERNAL', `The Proxmox VE request could not be built: ${(e as Error)?.message ?? e}`, { cause: e });
        }
        const a = ctx.answer;
        // a 401 means the request was not executed: log in again and resend, once
        if (!reauthenticated && !noAuth && a && this.auth.shouldReauthenticate(a.status, a.reason)) {
          this.auth.invalidate(ctx.authHeaders);
          continue;
        }
        throw ctx.error;
      }
      if (!ctx.answer) throw new ProximityError('INTERNAL', 'The Proxmox VE call sent no request');
      return ctx.answer;
    }
  }

  private proxyFor(ctx: CallContext): Proxmox.Api {
    const engine = new ProxmoxEngine({
      host: this.urlHost,
      port: this.port,
      schema: 'https',
      queryTimeout: ctx.timeoutMs,
      ...PLACEHOLDER_TOKEN,
      // proxmox-api's FetchInterface is typed against its own copy of undici's types; both are undici 6
      fetch: ((url: string | URL, init?: RequestInit) => this.exchange(ctx, url, init ?? {})) as never,
    });
    return proxmoxApi(engine);
  }

  /** The one place a request goes out and its answer comes back. */
  private async exchange(ctx: CallContext, url: string | URL, init: RequestInit): Promise<Response> {
    if (ctx.sent) throw ctx.error ?? new ProximityError('INTERNAL', 'proxmox-api tried to send one call twice');
    ctx.sent = true;
    const u = typeof url === 'string' ? new URL(url) : url;
    const method = (init.method ?? 'GET').toUpperCase();
    const path = safeDecode(u.pathname).replace(/^\/api2\/json/, '') || '/';
    ctx.method = method;
    const fail = (e: ProximityError): never => {
      ctx.error = e;
      throw e;
    };
    const headers: Record<string, string> = { Accept: 'application/json' };
    // proxmox-api passes a plain object; only its Content-Type is kept (auth and the rest are ours)
    const given = (init.headers ?? {}) as Record<string, string>;
    const contentType = Object.entries(given).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    if (contentType) headers['Content-Type'] = contentType;
    if (!ctx.noAuth) {
      try {
        ctx.authHeaders = await this.auth.headers(method);
      } catch (e) {
        fail(e instanceof ProximityError ? e : pveNetworkError(e, { host: this.host, port: this.port, method, path }));
      }
      Object.assign(headers, ctx.authHeaders);
    }
    if (ctx.signal?.aborted) fail(cancelledError(ctx.signal));
    const signals = [init.signal, ctx.signal].filter((s): s is AbortSignal => !!s);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const started = performance.now();
    let status: number;
    let reason: string;
    let text: string;
    this.requestCount++;
    try {
      const res = await sendPinned(this.agent, u, { method, headers, body: init.body as string | undefined, signal, maxBytes: this.maxAnswerBytes });
      status = res.status;
      reason = res.reason;
      text = res.body;
    } catch (e) {
      if (ctx.signal?.aborted) fail(cancelledError(ctx.signal));
      if (init.signal?.aborted) {
        fail(new ProximityError('PVE_TIMEOUT', `Proxmox VE at ${this.host}:${this.port} did not answer ${method} ${path} within ${ctx.timeoutMs} ms.`, {
          details: { method, path },
        }));
      }
      fail(pveNetworkError(e, { host: this.host, port: this.port, method, path }));
    }
    let answer: PveAnswer;
    try {
      answer = parseAnswer(method, path, status!, reason!, text!);
    } catch (e) {
      fail(e as ProximityError);
    }
    ctx.answer = answer!;
    this.onAnswer?.(answer!, performance.now() - started);
    if (status! < 200 || status! >= 300) fail(pveErrorFromAnswer(answer!));
    return new Response('{"data":null}', { status: 200, headers: { 'Content-Type': JSON_CONTENT_TYPE } });
  }
}

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

function answerMethod(e: unknown): string | undefined {
  const d = answerDetails(e) ?? ((e as ProximityError)?.details as { method?: string } | undefined);
  return d?.method;
}

/** The envelope of pve-http-server's Formatter/Standard.pm: `{data, errors?, message?, total?, changes?}`. */
function parseAnswer(method: string, path: string, status: number, reason: string, text: string): PveAnswer {
  const a: PveAnswer = { method, path, status, reason, data: null };
  if (!text) return a;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (status >= 200 && status < 300) {
      throw new ProximityError('PVE_API_ERROR', `Proxmox VE sent a body that is not JSON for ${method} ${path}`, { details: { method, path, status, reason } });
    }
    return a;
  }
  if (parsed === null || typeof parsed !== 'object') return a;
  const body = parsed as { data?: unknown; errors?: unknown; message?: unknown; total?: unknown; changes?: unknown };
  a.data = body.data ?? null;
  if (body.errors && typeof body.errors === 'object' && !Array.isArray(body.errors)) {
    a.errors = Object.fromEntries(Object.entries(body.errors).map(([k, v]) => [k, String(v).replace(/\n$/, '')]));
  }
  if (typeof body.message === 'string') a.message = body.message;
  if (body.total !== undefined && Number.isFinite(Number(body.total))) a.total = Number(body.total);
  if (typeof body.changes === 'string') a.changes = body.changes;
  return a;
}
