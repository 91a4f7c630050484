// Turning what Proxmox VE answered (status, reason phrase, `errors` map) into ProximityErrors with stable codes,
// and the predicates the retry rules use. Everything here reads the facts of the HTTP answer, never the text of an
// error some library built from them.
//
// Sources: pve-http-server (reason phrase = first line of the die message, 595-599 proxy pseudo statuses),
// pve-common PVE/Tools.pm lock_file_full (`can't lock file '<path>' - got timeout`), PVE/AbstractConfig.pm
// check_lock (`CT is locked (<lock>)`), pve-common RESTEnvironment fork_worker (`got no worker upid - start
// worker failed`), and bpg/terraform-provider-proxmox proxmox/retry (IsTransientAPIError: 5xx, "got no worker
// upid", "got timeout"; 500 "does not exist" = ErrResourceDoesNotExist).
import { ProximityError, type ErrorCode } from '../errors';
import { findProximityError } from './pinned-fetch';

/** What PVE answered to one request: the facts the client decides on. */
export interface PveAnswer {
  method: string;
  /** path below /api2/json, without the query */
  path: string;
  status: number;
  /** HTTP reason phrase; PVE puts the first line of its error message here */
  reason: string;
  /** `data` of the `{"data": ...}` envelope (null when PVE sent none) */
  data: unknown;
  /** PVE's per-parameter messages of a 400 `Parameter verification failed.` */
  errors?: Record<string, string>;
  /** the full message (pve-http-server >= 5.2 adds `message` to error bodies) */
  message?: string;
  /** `total` of list answers (task log, task list) */
  total?: number;
  /** `changes` of GET /nodes/{node}/network: the diff of pending network changes */
  changes?: string;
}

/** Details attached to every error built from a PVE answer. */
export interface PveErrorDetails {
  method: string;
  path: string;
  status: number;
  reason: string;
  errors?: Record<string, string>;
}

const LOCK_TIMEOUT_RE = /can't lock file '[^']*' - got timeout/;
const LOCKED_RE = /^(CT|VM) is locked \(([^)]*)\)/;
const NO_WORKER_RE = /got no worker upid/;
const DOES_NOT_EXIST_RE = /does not exist/;
const ALREADY_EXISTS_RE = /already exists/;
/**
 * 500s that state a fact a retry cannot change (pve-container's own texts): the guest's run state, protection,
 * a stale digest, an empty update. Retrying them would only delay the error by the whole backoff.
 */
const DEFINITE_500_RE = /(already running|not running|container is running|protection mode enabled|detected modified configuration|no options specified)/;

/** True when the text is PVE's config-lock failure (either form: at dispatch or as a task's exit status). */
export function isLockTimeoutText(text: string): boolean {
  return LOCK_TIMEOUT_RE.test(text);
}

function fullText(a: Pick<PveAnswer, 'reason' | 'message'>): string {
  return a.message ? a.message.trim() : a.reason;
}

/**
 * The ProximityError for a non-200 answer.
 *  - 401 -> PVE_AUTH_FAILED; 403 -> PVE_PERMISSION_DENIED
 *  - 404, or 500 "... does not exist" -> PVE_NOT_FOUND
 *  - 500 "can't lock file ... got timeout" / "CT is locked (x)" -> PVE_LOCKED
 *  - 500 "... already exists" -> CONFLICT
 *  - 595/596 (pveproxy could not reach the node) -> PVE_NODE_OFFLINE
 *  - anything else -> PVE_API_ERROR (400 carries the `errors` map)
 * `details` always holds {method, path, status, reason, errors?}.
 */
export function pveErrorFromAnswer(a: PveAnswer): ProximityError {
  const details: PveErrorDetails = { method: a.method, path: a.path, status: a.status, reason: a.reason };
  if (a.errors) details.errors = a.errors;
  const text = fullText(a);
  const where = `${a.method} ${a.path}`;
  const make = (code: ErrorCode, message: string) => new ProximityError(code, message, { details });
  if (a.status === 401) return make('PVE_AUTH_FAILED', `Proxmox VE refused the credentials (${a.reason}). Check the API token or user and password of this connection.`);
  if (a.status === 403) return make('PVE_PERMISSION_DENIED', `Proxmox VE refused ${where}: ${a.reason}. Grant the missing privilege to the user or token of this connection.`);
  if (a.status === 404 || (a.status === 500 && DOES_NOT_EXIST_RE.test(text))) return make('PVE_NOT_FOUND', `Proxmox VE: ${a.reason}`);
  if (a.status === 500 && (LOCK_TIMEOUT_RE.test(text) || LOCKED_RE.test(text))) {
    return make('PVE_LOCKED', `Proxmox VE: ${a.reason}. Another operation holds the guest's lock; wait for it to finish and try again.`);
  }
  if (a.status === 500 && ALREADY_EXISTS_RE.test(text)) return make('CONFLICT', `Proxmox VE: ${a.reason}`);
  if (a.status === 595 || a.status === 596) {
    return make('PVE_NODE_OFFLINE', `Proxmox VE could not reach the node for ${where} (${a.status} ${a.reason}). The node may be offline.`);
  }
  const detail = a.errors ? ` (${Object.entries(a.errors).map(([k, v]) => `${k}: ${String(v).trim()}`).join('; ')})` : '';
  return make('PVE_API_ERROR', `Proxmox VE answered ${a.status} ${a.reason}${detail} to ${where}`);
}

/** A failure before any answer: TLS pin mismatch (kept as is), timeout, refused connection, DNS, reset. */
export function pveNetworkError(e: unknown, where: { host: string; port: number; method: string; path: string }): ProximityError {
  const pinned = findProximityError(e);
  if (pinned) return pinned;
  let cur = e as { code?: unknown; cause?: unknown } | undefined;
  let code: string | undefined;
  for (let depth = 0; cur && depth < 8 && !code; cur = cur.cause as typeof cur, depth++) code = typeof cur.code === 'string' ? cur.code : undefined;
  const message = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
  return new ProximityError(
    'PVE_UNREACHABLE',
    `Cannot reach Proxmox VE at ${where.host}:${where.port} (${code ?? message}). Check that the host is up and port ${where.port} is reachable.`,
    { details: { host: where.host, port: where.port, method: where.method, path: where.path, code: code ?? null }, cause: e },
  );
}

/** The PVE answer facts an error was built from, if it was. */
export function answerDetails(e: unknown): PveErrorDetails | undefined {
  const d = e instanceof ProximityError ? (e.details as Partial<PveErrorDetails> | undefined) : undefined;
  return d && typeof d.status === 'number' && typeof d.reason === 'string' ? (d as PveErrorDetails) : undefined;
}

/**
 * bpg's IsTransientAPIError for the dispatch of an operation: a 5xx answer (the handler died before forking a
 * worker, so nothing ran), `got no worker upid`, or a lock `got timeout`. Not transient: not-found, "already
 * exists", 501, 500s stating a fact (running / not running, protection, stale digest), and the 595-599 proxy statuses (the node is unreachable; a retry a second later will not help and a
 * 597/598 may have reached the node).
 */
export function isTransientDispatchError(e: unknown): boolean {
  if (!(e instanceof ProximityError)) return false;
  if (e.code === 'PVE_LOCKED') return true;
  const d = answerDetails(e);
  if (!d) return false;
  if (NO_WORKER_RE.test(d.reason)) return true;
  if (e.code === 'PVE_NOT_FOUND' || e.code === 'CONFLICT') return false;
  // 501: the method does not exist on this PVE version; it will not appear on retry
  if (d.status === 501 || DEFINITE_500_RE.test(d.reason)) return false;
  return d.status >= 500 && d.status < 595;
}

/** For idempotent reads: also a network failure (no answer) other than a TLS pin mismatch. */
export function isTransientReadError(e: unknown): boolean {
  if (!(e instanceof ProximityError)) return false;
  if (e.code === 'PVE_UNREACHABLE' && !answerDetails(e)) return true;
  return isTransientDispatchError(e) && e.code !== 'PVE_LOCKED';
}

/** True for PVE's answer to a task status/log request for a task it does not know (yet). */
export function isNoSuchTask(e: unknown): boolean {
  const d = answerDetails(e);
  return !!d && d.status === 400 && d.errors?.upid === 'no such task';
}

/** True when the answer says the object does not exist (PVE_NOT_FOUND). */
export function isNotFound(e: unknown): boolean {
  return e instanceof ProximityError && e.code === 'PVE_NOT_FOUND';
}

/** A 500 whose reason matches (for the few success-in-disguise answers: "already running", "not running"). */
export function reasonMatches(e: unknown, re: RegExp): boolean {
  const d = answerDetails(e);
  return !!d && d.status === 500 && re.test(d.reason);
}
