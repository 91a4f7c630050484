// TLS certificate pinning for Proxmox VE: nodes present self-signed certificates, so instead of a CA we trust
// exactly one leaf certificate, identified by its SHA-256 fingerprint (upper-case colon form, as PVE shows it in
// GET /nodes `ssl_fingerprint` and the web UI). This file is the ONLY place that disables chain verification,
// and it does so only together with the fingerprint check below.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { Agent, fetch as undiciFetch, type RequestInfo, type RequestInit, type Response } from 'undici';
import { ProximityError } from '../errors';

const FINGERPRINT_RE = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** Accepts `ab:cd:..`, `ABCD..` (64 hex) or the canonical form; returns `AB:CD:..`. Throws on anything else. */
export function normalizeFingerprint(input: string): string {
  const hex = input.trim().replace(/^sha256\s*(fingerprint)?\s*=?\s*/i, '').replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new ProximityError('VALIDATION', 'A TLS fingerprint must be a SHA-256 hash: 32 hex bytes such as AB:CD:...', {
      details: { fingerprint: input },
    });
  }
  const out = hex.match(/../g)!.join(':');
  if (!FINGERPRINT_RE.test(out)) throw new Error('unreachable');
  return out;
}

/** Options of createPinnedAgent. */
export interface PinnedAgentOptions {
  /** expected SHA-256 fingerprint of the server's leaf certificate (any form normalizeFingerprint accepts) */
  fingerprint: string;
  /** TCP + TLS handshake timeout (default 10 s) */
  connectTimeoutMs?: number;
}

function mismatch(expected: string, actual: string | undefined, host: string, port: number): ProximityError {
  const presented = actual ?? 'no certificate';
  return new ProximityError(
    'TLS_FINGERPRINT_MISMATCH',
    `The certificate of ${host}:${port} changed. Trusted (pinned) SHA-256 fingerprint: ${expected}; presented now: ${presented}. ` +
      'Someone may be intercepting the connection, or the node got a new certificate (reinstall, `pvecm updatecerts`, ' +
      'a new ACME or custom certificate). Compare the new fingerprint with the one the node shows (web UI: Node > System > ' +
      'Certificates, or `openssl x509 -noout -fingerprint -sha256 -in /etc/pve/local/pveproxy-ssl.pem`, else pve-ssl.pem); ' +
      'only if they match, re-pin it in the connection settings (edit the connection and confirm the new fingerprint).',
    { details: { host, port, expected, actual: actual ?? null } },
  );
}

/** A URL hostname as the socket needs it: `[fe80::1]` -> `fe80::1`. */
function socketHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * An undici Agent whose connections only succeed when the peer's leaf certificate has the pinned fingerprint.
 * The check happens right after the handshake, before any request byte is written.
 */
export function createPinnedAgent(opts: PinnedAgentOptions): Agent {
  const expected = normalizeFingerprint(opts.fingerprint);
  const timeout = opts.connectTimeoutMs ?? 10_000;
  return new Agent({
    connect: (o, callback) => {
      const host = socketHost(o.hostname);
      const port = Number(o.port) || 8006;
      let done = false;
      const finish = (err: Error | null, socket?: tls.TLSSocket) => {
        if (done) return;
        done = true;
        if (err) callback(err, null);
        else callback(null, socket!);
      };
      const socket = tls.connect({
        host,
        port,
        // SNI must not be an IP address
        servername: isIP(host) ? undefined : (o.servername || host),
        // Chain verification is replaced by the pin: PVE certificates are self-signed. Checked in 'secureConnect'.
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
      });
      socket.setTimeout(timeout, () => {
        socket.destroy();
        finish(new ProximityError('PVE_UNREACHABLE', `Timed out connecting to ${host}:${port}`, { details: { host, port } }));
      });
      socket.once('secureConnect', () => {
        const actual = socket.getPeerCertificate()?.fingerprint256;
        if (actual !== expected) {
          socket.destroy();
          finish(mismatch(expected, actual, host, port));
          return;
        }
        socket.setTimeout(0);
        finish(null, socket);
      });
      socket.once('error', (e) => finish(e));
    },
  });
}

/** The fetch signature pinnedFetch returns. */
export type FetchLike = (input: RequestInfo, init?: RequestInit) => Promise<Response>;

/**
 * A fetch bound to a pinned agent. A pin mismatch (wrapped by undici as `TypeError: fetch failed`) is rethrown
 * as the ProximityError itself, so callers see TLS_FINGERPRINT_MISMATCH instead of a generic network error.
 */
export function pinnedFetch(agent: Agent): FetchLike {
  return async (input, init) => {
    try {
      return await undiciFetch(input, { ...init, dispatcher: agent });
    } catch (e) {
      const pe = findProximityError(e);
      if (pe) throw pe;
      throw e;
    }
  };
}

/** One HTTP exchange as the PVE client needs it: status, reason phrase (PVE's error message) and body text. */
export interface WireAnswer {
  status: number;
  reason: string;
  body: string;
}

/** Largest answer body sendPinned keeps by default: 64 MiB (a 1000-guest /cluster/resources is about 300 KB). */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * Sends one request over the pinned agent with undici's dispatcher API (no WHATWG streams: a 300 KB
 * /cluster/resources answer costs a fraction of what fetch's body stream does) and returns status, reason
 * phrase and body. Rejects with TLS_FINGERPRINT_MISMATCH from the pin, the signal's reason when aborted,
 * PVE_API_ERROR (details: method, path, limitBytes) when the body grows past `maxBytes` (default
 * MAX_ANSWER_BYTES; the request is aborted, nothing more is buffered), or the socket's error.
 */
export function sendPinned(agent: Agent, url: URL, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal; maxBytes?: number }): Promise<WireAnswer> {
  const maxBytes = init.maxBytes ?? MAX_ANSWER_BYTES;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let abortRequest: ((reason: Error) => void) | undefined;
    let status = 0;
    let reason = '';
    let onAbort: (() => void) | undefined;
    const done = () => {
      if (onAbort) init.signal?.removeEventListener('abort', onAbort);
    };
    agent.dispatch(
      { origin: url.origin, path: url.pathname + url.search, method: init.method as 'GET', headers: init.headers, body: init.body },
      {
        onConnect(abort) {
          abortRequest = abort;
          if (init.signal?.aborted) return abort(init.signal.reason);
          onAbort = () => abort(init.signal!.reason);
          init.signal?.addEventListener('abort', onAbort, { once: true });
        },
        onHeaders(statusCode, _headers, _resume, statusText) {
          status = statusCode;
          reason = statusText;
          return true;
        },
        onData(chunk) {
          size += chunk.length;
          if (size > maxBytes) {
            chunks.length = 0;
            const path = url.pathname.replace(/^\/api2\/json/, '');
            abortRequest?.(new ProximityError('PVE_API_ERROR', `Proxmox VE sent an answer larger than ${maxBytes} bytes for ${init.method} ${path}; Proximity stopped reading it.`, {
              details: { method: init.method, path, limitBytes: maxBytes },
            }));
            return false;
          }
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          done();
          resolve({ status, reason, body: Buffer.concat(chunks).toString('utf8') });
        },
        onError(err) {
          done();
          reject(findProximityError(err) ?? err);
        },
      },
    );
  });
}

/** Walks an error's `cause` chain for a ProximityError (proxmox-api and undici both wrap errors). */
export function findProximityError(e: unknown): ProximityError | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (cur instanceof ProximityError) return cur;
  }
  return undefined;
}

/**
 * Trust on first use: connect, complete the TLS handshake, read the presented leaf certificate's SHA-256
 * fingerprint (`AB:CD:..`) and close the connection without sending any request data. The caller shows it to
 * the operator to confirm. Throws PVE_UNREACHABLE.
 */
export async function probeFingerprint(host: string, port = 8006, timeoutMs = 10_000): Promise<string> {
  return (await probeCertificate(host, port, timeoutMs)).fingerprint256;
}

/** SHA-256 fingerprint (`AB:CD:..`) of a PEM certificate, as PVE shows it. Throws VALIDATION for a bad PEM. */
export function certificateFingerprint(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch (e) {
    throw new ProximityError('VALIDATION', 'This is not a PEM certificate.', { cause: e });
  }
}

/**
 * Reads the cluster's CA certificate (`/etc/pve/pve-root-ca.pem`) of a node, e.g. over SSH. The SSH layer
 * provides it; pinning works without it.
 */
export type ClusterCaReader = () => Promise<string>;

/** What the operator is shown on first contact, before pinning. */
export interface FirstContact {
  /** the presented leaf certificate's SHA-256 fingerprint, to confirm and pin */
  fingerprint: string;
  /** the cluster CA as read from the node, when a reader was given and it worked */
  clusterCa?: {
    fingerprint: string;
    /** whether the presented leaf certificate was issued (signed) by that CA; a custom/ACME certificate is not */
    signsLeaf: boolean;
  };
  /** why the cluster CA could not be read, when a reader was given and failed */
  clusterCaError?: string;
}

/**
 * Trust on first use: the presented certificate's fingerprint (probeFingerprint) and, where `readClusterCa` can
 * read the cluster CA (over SSH), that CA's fingerprint and whether it issued the certificate. Throws
 * PVE_UNREACHABLE when no TLS connection can be made.
 */
export async function describeFirstContact(host: string, port = 8006, opts: { readClusterCa?: ClusterCaReader; timeoutMs?: number } = {}): Promise<FirstContact> {
  const leaf = await probeCertificate(host, port, opts.timeoutMs);
  const out: FirstContact = { fingerprint: leaf.fingerprint256 };
  if (opts.readClusterCa) {
    try {
      const ca = new X509Certificate(await opts.readClusterCa());
      out.clusterCa = { fingerprint: ca.fingerprint256, signsLeaf: leaf.checkIssued(ca) && leaf.verify(ca.publicKey) };
    } catch (e) {
      out.clusterCaError = e instanceof Error ? e.message : String(e);
    }
  }
  return out;
}

function probeCertificate(host: string, port: number, timeoutMs = 10_000): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    const fail = (message: string, cause?: unknown) => {
      socket.destroy();
      reject(new ProximityError('PVE_UNREACHABLE', message, { details: { host, port }, cause }));
    };
    socket.setTimeout(timeoutMs, () => fail(`Timed out connecting to ${host}:${port}`));
    socket.once('secureConnect', () => {
      // read only: nothing is trusted or sent on this socket
      const cert = socket.getPeerX509Certificate();
      socket.destroy();
      if (!cert) reject(new ProximityError('PVE_UNREACHABLE', `${host}:${port} presented no certificate`, { details: { host, port } }));
      else resolve(cert);
    });
    socket.once('error', (e) => fail(`Cannot open a TLS connection to ${host}:${port}: ${e.message}`, e));
  });
}
