// How the client authenticates: an API token (one header, never expires by itself, no CSRF) or a user's ticket
// (cookie + CSRFPreventionToken on writes). Tickets live 2 h (pve-access-control AccessControl.pm
// `$ticket_lifetime = 3600*2`); we renew one once it is older than `renewAfterMs` by posting the current ticket
// as the password (POST /access/ticket, what the web UI does), and log in again with the password when that fails.
import { z } from 'zod';
import { ProximityError } from '../errors';

/** Credentials of a connection: an API token (preferred) or a user's password. */
export type PveAuth = { tokenId: string; tokenSecret: string } | { username: string; password: string };

/** `USER@REALM!TOKENID`, as `pveum user token add` prints it. */
export const TOKEN_ID_RE = /^[^\s@:!]+@[A-Za-z][A-Za-z0-9.\-_]*![A-Za-z][A-Za-z0-9.\-_]*$/;
/** PVE's token secrets are UUIDs (lower case on the node; proxmox-api insists on lower case). */
export const TOKEN_SECRET_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** `user@realm` (pve-access-control's pve-userid, without the 64-char cap check). */
export const USER_ID_RE = /^[^\s:/@]+@[A-Za-z][A-Za-z0-9.\-_]*$/;

/** Validates PveAuth before anything is sent. */
export const pveAuthSchema = z.union([
  z.object({ tokenId: z.string().regex(TOKEN_ID_RE, 'an API token id looks like user@realm!name'), tokenSecret: z.string().trim().toLowerCase().regex(TOKEN_SECRET_RE, 'an API token secret is a UUID') }),
  z.object({ username: z.string().max(64).regex(USER_ID_RE, 'a Proxmox VE user looks like root@pam'), password: z.string().min(1).max(4096) }),
]);

/** The two texts PVE answers (401 reason) for a ticket it no longer accepts; the second since pve-manager 8.4.17. */
export const EXPIRED_TICKET_REASONS: readonly string[] = ['permission denied - invalid PVE ticket', 'invalid PVE ticket', 'Authentication failed!'];

/** POST /access/ticket's answer. */
export const ticketAnswerSchema = z.object({
  ticket: z.string().regex(/^PVE:[^:]+:[0-9A-F]{8}::\S+$/),
  CSRFPreventionToken: z.string().min(1),
  username: z.string(),
});

/** A ticket and its CSRF token, with when we got it. */
export interface Ticket {
  ticket: string;
  csrf: string;
  /** local clock (Date.now) when it was obtained; the ticket's own time is the server's clock */
  obtainedAtMs: number;
}

/** Logs in (or renews with the current ticket as password) and returns the answer's ticket. */
export type LoginFn = (username: string, password: string) => Promise<z.infer<typeof ticketAnswerSchema>>;

/** Construction options of AuthSession. */
export interface AuthSessionOptions {
  auth: PveAuth;
  /** renew a ticket older than this (default 60 min: half its 2 h life, so a missed renewal still has time) */
  renewAfterMs?: number;
  now?: () => number;
}

/**
 * Holds the credentials of one connection and produces the auth headers of each request. One login runs at a
 * time; concurrent requests wait for it.
 */
export class AuthSession {
  readonly kind: 'token' | 'ticket';
  private ticket?: Ticket;
  private pending?: Promise<Ticket>;
  private readonly renewAfterMs: number;
  private readonly now: () => number;
  /** number of successful logins + renewals (tests and the connection test read it) */
  logins = 0;

  constructor(private readonly opts: AuthSessionOptions, private readonly login: LoginFn) {
    this.kind = 'tokenId' in opts.auth ? 'token' : 'ticket';
    this.renewAfterMs = opts.renewAfterMs ?? 60 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** The user the session acts as (`root@pam`, or the token's user). */
  get userid(): string {
    const a = this.opts.auth;
    return 'tokenId' in a ? a.tokenId.split('!')[0] : a.username;
  }

  /**
   * Headers for one request. Token: `Authorization: PVEAPIToken=ID=SECRET`. Ticket: `Cookie: PVEAuthCookie=...`
   * plus `CSRFPreventionToken` on writes; logs in first when there is no ticket, renews one past `renewAfterMs`.
   * Throws PVE_AUTH_FAILED when the login is refused.
   */
  async headers(method: string): Promise<Record<string, string>> {
    const a = this.opts.auth;
    if ('tokenId' in a) return { Authorization: `PVEAPIToken=${a.tokenId}=${a.tokenSecret}` };
    const t = await this.currentTicket();
    const h: Record<string, string> = { Cookie: `PVEAuthCookie=${encodeURIComponent(t.ticket)}` };
    if (method !== 'GET') h.CSRFPreventionToken = t.csrf;
    return h;
  }

  /** True when a 401 with this reason means "log in again and resend" (ticket sessions only). */
  shouldReauthenticate(status: number, reason: string): boolean {
    return this.kind === 'ticket' && status === 401 && EXPIRED_TICKET_REASONS.includes(reason);
  }

  /** Forget the ticket whose request was refused, so the next `headers()` logs in with the password. */
  invalidate(rejected?: Record<string, string>): void {
    if (!this.ticket) return;
    if (rejected && rejected.Cookie !== `PVEAuthCookie=${encodeURIComponent(this.ticket.ticket)}`) return; // already replaced
    this.ticket = undefined;
  }

  private currentTicket(): Promise<Ticket> {
    if (this.pending) return this.pending;
    const t = this.ticket;
    if (t && this.now() - t.obtainedAtMs < this.renewAfterMs) return Promise.resolve(t);
    this.pending = this.obtain(t).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async obtain(old: Ticket | undefined): Promise<Ticket> {
    const { username, password } = this.opts.auth as { username: string; password: string };
    if (old) {
      try {
        return this.store(await this.login(username, old.ticket));
      } catch (e) {
        // an expired or revoked ticket cannot be renewed: fall through to the password
        if (!(e instanceof ProximityError && e.code === 'PVE_AUTH_FAILED')) throw e;
      }
    }
    return this.store(await this.login(username, password));
  }

  private store(answer: z.infer<typeof ticketAnswerSchema>): Ticket {
    this.logins++;
    this.ticket = { ticket: answer.ticket, csrf: answer.CSRFPreventionToken, obtainedAtMs: this.now() };
    return this.ticket;
  }
}
