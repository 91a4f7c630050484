// Authentication as pveproxy does it (pve-manager PVE/HTTPServer.pm auth_handler, pve-access-control
// AccessControl.pm): RSA-signed tickets `PVE:<user>:<HEX time>::<base64 sig>`, HMAC CSRF tokens
// `<HEX time>:<hmac-sha256 base64>`, API tokens `PVEAPIToken=USER@REALM!TOKENID=SECRET`, login / renewal at
// POST /access/ticket. The lab knows exactly one user, root@pam, and one API token.
import { createHmac, generateKeyPair, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { AccessState } from './access/access-state';
import type { FaultInjector } from './faults';
import type { Router } from './router';
import { PveHttpError, type PveIdentity } from './types';

export const ROOT_USER = 'root@pam';
/** PVE accepts tickets up to 5 minutes "from the future" (clock skew between cluster nodes). */
const CLOCK_SKEW_S = 300;

export interface AuthOptions {
  password: string;
  /** full token id (`root@pam!proximity`) -> secret (UUID); used when there is no `access` state */
  tokens: Record<string, string>;
  /** users, their passwords and tokens (access/access-state.ts); when set, it decides logins and tokens */
  access?: AccessState;
  /** pve-manager version; decides the 401 reason text for bad tickets (see authFailedMessage). */
  pveVersion: string;
  ticketLifetimeSeconds: number;
  faults: FaultInjector;
  clusterName?: string;
}

/** pve-manager >= 8.4.17 (and 9.x) answer every bad ticket/token with one opaque text (commit d3973e63). */
export function usesOpaqueAuthFailure(pveVersion: string): boolean {
  const [maj, min, patch] = pveVersion.split('.').map((x) => parseInt(x, 10) || 0);
  if (maj !== 8) return maj > 8;
  if (min !== 4) return min > 4;
  return patch >= 17;
}

/** True for a ticket of root@pam (not an API token, even root's): PVE's "only root@pam may" checks. */
export function isRootTicket(identity: PveIdentity): boolean {
  return identity.user === ROOT_USER && identity.tokenId === undefined;
}

/** pve-container check_ct_modify_config_perm: feature flags other than nesting need root@pam (ticket). */
export function featureFlagsRootOnlyError(): PveHttpError {
  return new PveHttpError(
    403,
    'Permission check failed (changing feature flags (except nesting) is only allowed for root@pam)',
  );
}

/** 403 for a token on a method whose schema lacks `allowtoken` (pve-access-control RPCEnvironment). */
export function tokenNotAllowedError(method: string, relUri: string): PveHttpError {
  return new PveHttpError(
    403,
    `Permission check failed (URI '${method} ${relUri}' not available with API token, need proper ticket.)`,
  );
}

const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
const TICKET_RE = /^PVE:(\S+):([A-Z0-9]{8})::(\S+)$/;

export class LabAuth {
  private constructor(
    private readonly opts: AuthOptions,
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    private readonly csrfSecret: Buffer,
  ) {}

  static async create(opts: AuthOptions): Promise<LabAuth> {
    // A fresh RSA key per emulator (PVE's authkey.key): tickets from one lab run never work on another.
    const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((res, rej) =>
      generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) =>
        err ? rej(err) : res({ privateKey, publicKey }),
      ),
    );
    return new LabAuth(opts, privateKey, publicKey, randomBytes(32));
  }

  get password(): string {
    return this.opts.password;
  }

  /** 401 reason for a bad/expired ticket, by pve-manager version. */
  private invalidTicket(): PveHttpError {
    return new PveHttpError(
      401,
      usesOpaqueAuthFailure(this.opts.pveVersion) ? 'Authentication failed!' : 'permission denied - invalid PVE ticket',
    );
  }

  private invalidToken(oldText: string): PveHttpError {
    return new PveHttpError(401, usesOpaqueAuthFailure(this.opts.pveVersion) ? 'Authentication failed!' : oldText);
  }

  private nowSec(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Tickets issued in the second of an expireAllTickets() must stay dead, so new ones start one second later. */
  private minValidTime(): number {
    const revoked = this.opts.faults.ticketsRevokedAtMs;
    return revoked ? Math.floor(revoked / 1000) + 1 : 0;
  }

  issueTicket(user: string): string {
    const t = Math.max(this.nowSec(), this.minValidTime());
    const plain = `PVE:${user}:${hex8(t)}`;
    const sig = sign('sha256', Buffer.from(plain), this.privateKey).toString('base64');
    return `${plain}::${sig}`;
  }

  /** Returns the user of a valid ticket, undefined otherwise (bad signature, expired, revoked, malformed). */
  verifyTicket(ticket: string): string | undefined {
    const m = TICKET_RE.exec(ticket);
    if (!m) return undefined;
    const [, user, hexTime, sig] = m;
    const plain = `PVE:${user}:${hexTime}`;
    let ok: boolean;
    try {
      ok = verify('sha256', Buffer.from(plain), this.publicKey, Buffer.from(sig, 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) return undefined;
    const t = parseInt(hexTime, 16);
    const age = this.nowSec() - t;
    if (age < -CLOCK_SKEW_S || age > this.opts.ticketLifetimeSeconds) return undefined;
    if (t < this.minValidTime()) return undefined;
    return user;
  }

  private csrfDigest(hexTime: string, user: string): string {
    // Digest::SHA hmac_sha256_base64 yields unpadded base64
    return createHmac('sha256', this.csrfSecret).update(`${hexTime}:${user}`).digest('base64').replace(/=+$/, '');
  }

  issueCsrfToken(user: string): string {
    const hexTime = hex8(Math.max(this.nowSec(), this.minValidTime()));
    return `${hexTime}:${this.csrfDigest(hexTime, user)}`;
  }

  verifyCsrfToken(user: string, token: string | undefined): boolean {
    const m = /^([A-Z0-9]{8}):(\S+)$/.exec(token ?? '');
    if (!m) return false;
    const want = Buffer.from(this.csrfDigest(m[1], user));
    const got = Buffer.from(m[2]);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
    const age = this.nowSec() - parseInt(m[1], 16);
    return age >= -CLOCK_SKEW_S && age <= this.opts.ticketLifetimeSeconds;
  }

  /** Identity of the lab's root ticket, as used for in-process calls (pct/pveam act as root@pam). */
  rootIdentity(): PveIdentity {
    return { user: ROOT_USER, authid: ROOT_USER };
  }

  /**
   * pveproxy's auth_handler for one request. Throws PveHttpError(401, reason) on failure. Returns undefined
   * for the calls PVE lets through without authentication (POST/GET /access/ticket, GET /access/domains).
   */
  authenticate(req: {
    method: string;
    relUri: string;
    cookie?: string;
    authorization?: string;
    csrfToken?: string;
  }): PveIdentity | undefined {
    const { method, relUri } = req;
    if ((relUri === '/access/ticket' && (method === 'GET' || method === 'POST')) ||
        (relUri === '/access/domains' && method === 'GET')) {
      return undefined;
    }
    // prefer the cookie, then `Authorization: PVEAuthCookie=...`, then an API token (PVE's order)
    const ticket = extractAuthValue(req.cookie, 'PVEAuthCookie') ?? extractAuthValue(req.authorization, 'PVEAuthCookie');
    if (ticket === undefined) {
      const apiToken = extractAuthValue(req.authorization, 'PVEAPIToken');
      if (apiToken !== undefined) return this.verifyApiToken(apiToken);
      throw new PveHttpError(401, 'No ticket');
    }
    const user = this.verifyTicket(ticket);
    if (!user) throw this.invalidTicket();
    if (method !== 'GET' && !this.verifyCsrfToken(user, req.csrfToken)) {
      throw new PveHttpError(401, 'Permission denied - invalid csrf token');
    }
    return { user, authid: user };
  }

  private verifyApiToken(value: string): PveIdentity {
    // USER@REALM!TOKENID=SECRET (a space instead of '=' is accepted too)
    const m = /^(\S+@\S+)!([A-Za-z][A-Za-z0-9._-]*)[=\s](\S+)$/.exec(value.trim());
    if (!m) throw this.invalidToken('invalid token value!');
    const [, user, tokenName, secret] = m;
    const authid = `${user}!${tokenName}`;
    const want = this.opts.access ? this.opts.access.tokenSecret(authid) : this.opts.tokens[authid];
    if (want === undefined) throw this.invalidToken(`no such token '${tokenName}' for user '${user}'`);
    const a = Buffer.from(want);
    const b = Buffer.from(secret);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw this.invalidToken('invalid token value!');
    return { user, tokenId: tokenName, authid };
  }

  /** POST /access/ticket (login and renewal), its GET dummy, and the realm list the login form reads. */
  registerRoutes(router: Router): void {
    router.on('GET', '/access/ticket', () => null);
    router.on('GET', '/access/domains', () => [
      { realm: 'pam', type: 'pam', comment: 'Linux PAM standard authentication' },
      { realm: 'pve', type: 'pve', comment: 'Proxmox VE authentication server', default: 1 },
    ]);
    router.on('POST', '/access/ticket', ({ params }) => {
      let username = String(params.username);
      if (params.realm && !username.includes('@')) username = `${username}@${params.realm}`;
      const password = String(params.password);
      const renewedBy = password.startsWith('PVE:') ? this.verifyTicket(password) : undefined;
      const access = this.opts.access;
      const ok = access
        ? (renewedBy === username && access.users.get(username)?.enable === 1) || access.checkPassword(username, password)
        : username === ROOT_USER && (renewedBy === ROOT_USER || safeEqual(password, this.opts.password));
      // PVE hides why (no user enumeration): always the same 401 text, raised by the handler
      if (!ok) throw new PveHttpError(401, 'authentication failure');
      const data: Record<string, unknown> = {
        username,
        ticket: this.issueTicket(username),
        CSRFPreventionToken: this.issueCsrfToken(username),
        cap: username === ROOT_USER || !access ? rootCapabilities() : userCapabilities(access, username),
      };
      if (this.opts.clusterName) data.clustername = this.opts.clusterName;
      return data;
    });
  }
}

/** PVE::APIServer::Formatter::extract_auth_value: `key=value` in a cookie/header list, URI-unescaped. */
export function extractAuthValue(header: string | undefined, key: string): string | undefined {
  if (!header) return undefined;
  if (key === 'PVEAPIToken') {
    const m = /(?:^|\s)PVEAPIToken(?:=|\s)(.*)$/.exec(header);
    return m ? m[1] : undefined;
  }
  for (const part of header.split(/;\s*/)) {
    const m = /^\s*([^=\s]+)=(.*)$/.exec(part);
    if (m && m[1] === key && m[2] !== '') {
      try {
        return decodeURIComponent(m[2]);
      } catch {
        return m[2];
      }
    }
  }
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * RPCEnvironment::compute_api_permission for a user other than root: per top-level area, the privileges the
 * user has on its top path or any ACL path below it (matched by the same prefixes as PVE).
 */
function userCapabilities(access: AccessState, user: string): Record<string, Record<string, number>> {
  const areas: Record<string, RegExp> = {
    vms: /^(VM\.|Permissions\.Modify)/, access: /^((User|Group)\.|Permissions\.Modify)/, storage: /^(Datastore\.|Permissions\.Modify)/,
    nodes: /^(Sys\.|Permissions\.Modify)/, sdn: /^(SDN\.|Permissions\.Modify)/, dc: /^(Sys\.Audit|Sys\.Modify|SDN\.)/,
    mapping: /^(Mapping\.|Permissions\.Modify)/,
  };
  const res: Record<string, Record<string, number>> = Object.fromEntries(Object.keys(areas).map((a) => [a, {}]));
  const paths = new Set(['/', '/nodes', '/access/groups', '/vms', '/storage', '/sdn', '/mapping', ...access.acl.keys()]);
  for (const path of paths) {
    const top = /^\/(\w+)/.exec(path)?.[1] ?? 'dc';
    const re = areas[top];
    if (!re) continue;
    for (const priv of access.permissions(user, path).keys()) if (re.test(priv)) res[top][priv] = 1;
  }
  return res;
}

/** What root@pam's login answer lists under `cap` (everything allowed). */
function rootCapabilities(): Record<string, Record<string, number>> {
  const all = (...privs: string[]) => Object.fromEntries(privs.map((p) => [p, 1]));
  return {
    vms: all('VM.Allocate', 'VM.Audit', 'VM.Backup', 'VM.Clone', 'VM.Config.Disk', 'VM.Config.Network',
      'VM.Config.Options', 'VM.Console', 'VM.PowerMgmt', 'VM.Snapshot', 'VM.Snapshot.Rollback', 'Permissions.Modify'),
    storage: all('Datastore.Allocate', 'Datastore.AllocateSpace', 'Datastore.AllocateTemplate', 'Datastore.Audit',
      'Permissions.Modify'),
    nodes: all('Sys.Audit', 'Sys.Console', 'Sys.Modify', 'Sys.PowerMgmt', 'Sys.Syslog', 'Permissions.Modify'),
    access: all('User.Modify', 'Group.Allocate', 'Permissions.Modify'),
    dc: all('Sys.Audit', 'Sys.Modify', 'SDN.Allocate', 'SDN.Audit', 'SDN.Use'),
    sdn: all('SDN.Allocate', 'SDN.Audit', 'SDN.Use', 'Permissions.Modify'),
    mapping: all('Mapping.Audit', 'Mapping.Modify', 'Mapping.Use', 'Permissions.Modify'),
  };
}
