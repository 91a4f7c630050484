// TLS certificate pinning for Proxmox VE: nodes present self-signed certificates, so instead of a CA we trust
// exactly one leaf certificate, identified by its SHA-256 fingerprint (upper-case colon form, as PVE shows it in
// GET /nodes `ssl_fingerprint` and the web UI). This file is the ONLY place that disables chain verification,
// and it does so only together with the fingerprint check below.
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

export interface PinnedAgentOptions {
  /** expected SHA-256 fingerprint of the server's leaf certificate (any form normalizeFingerprint accepts) */
  fingerprint: string;
  /** TCP + TLS handshake timeout (default 10 s) */
  connectTimeoutMs?: number;
}

function mismatch(expected: string, actual: string | undefined, host: string): ProximityError {
  return new ProximityError(
    'TLS_FINGERPRINT_MISMATCH',
    `The certificate of ${host} does not match the trusted fingerprint. Someone may be intercepting the connection, ` +
      'or the node got a new certificate; verify it on the node before trusting the new fingerprint.',
    { details: { expected, actual: actual ?? null } },
  );
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
      const host = o.hostname;
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
          finish(mismatch(expected, actual, `${host}:${port}`));
          return;
        }
        socket.setTimeout(0);
        finish(null, socket);
      });
      socket.once('error', (e) => finish(e));
    },
  });
}

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

/** Walks an error's `cause` chain for a ProximityError (proxmox-api and undici both wrap errors). */
export function findProximityError(e: unknown): ProximityError | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (cur instanceof ProximityError) return cur;
  }
  return undefined;
}

/**
 * Trust on first use: connect, complete the TLS handshake, read the presented leaf certificate's fingerprint and
 * close the connection without sending any request data. The caller shows it to the operator to confirm.
 */
export function probeFingerprint(host: string, port = 8006, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      // Nothing is trusted or sent here: we only read the certificate to show it to the operator.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const fail = (message: string, cause?: unknown) => {
      socket.destroy();
      reject(new ProximityError('PVE_UNREACHABLE', message, { details: { host, port }, cause }));
    };
    socket.setTimeout(timeoutMs, () => fail(`Timed out connecting to ${host}:${port}`));
    socket.once('secureConnect', () => {
      const fp = socket.getPeerCertificate()?.fingerprint256;
      socket.destroy();
      if (!fp) reject(new ProximityError('PVE_UNREACHABLE', `${host}:${port} presented no certificate`, { details: { host, port } }));
      else resolve(fp);
    });
    socket.once('error', (e) => fail(`Cannot open a TLS connection to ${host}:${port}: ${e.message}`, e));
  });
}
