// Users, API tokens and ACLs of the emulated cluster (pve-access-control user.cfg), and the permission
// calculation of RPCEnvironment::permissions / AccessControl::roles:
//   - root@pam has every privilege everywhere;
//   - ACLs form a tree; walking from `/` to the path, an entry on a deeper node replaces what was inherited,
//     roles on an ancestor count only when set with propagate=1; a user's own entry beats its groups' (the lab
//     has no groups); NoAccess wins;
//   - an API token with privsep=0 has exactly its user's privileges; with privsep=1 only the privileges of its
//     own token ACLs that its user also has (intersection).
import { randomUUID } from 'node:crypto';
import { PveHttpError } from '../types';
import { BUILTIN_ROLES, VALID_PRIVILEGES } from './privileges';

export const ROOT = 'root@pam';

export interface TokenInfo {
  /** 1 = own ACLs only (intersected with the user's), 0 = the user's privileges */
  privsep: 0 | 1;
  /** seconds since epoch, 0 = never */
  expire: number;
  comment?: string;
  secret: string;
}

export interface UserInfo {
  enable: 0 | 1;
  expire: number;
  password?: string;
  comment?: string;
  tokens: Map<string, TokenInfo>;
}

/** role => propagate flag, per user/token authid, per path */
type AclNode = Map<string, Map<string, 0 | 1>>;

/** `user@realm!token` => [user, token]; undefined for a plain user id. */
export function splitTokenId(authid: string): [string, string] | undefined {
  const m = /^(\S+@[^!\s]+)!([A-Za-z][A-Za-z0-9._-]+)$/.exec(authid);
  return m ? [m[1], m[2]] : undefined;
}

/** PVE::AccessControl::normalize_path: collapse slashes, drop a trailing one, undefined for bad characters. */
export function normalizePath(path: string): string | undefined {
  if (!path) return undefined;
  let p = path.replace(/\/+/g, '/').replace(/\/$/, '') || '/';
  if (!p.startsWith('/')) p = `/${p}`;
  return /^[A-Za-z0-9._\-/]+$/.test(p) ? p : undefined;
}

/** AccessControl::check_path: the ACL paths PVE accepts. */
const ACL_PATH_RE = new RegExp(
  '^(/|/access|/access/groups|/access/groups/[\\w.-]+|/access/realm|/access/realm/[\\w.-]+|/nodes|/nodes/[\\w.-]+|/pool|/pool/[\\w.-]+' +
    '|/sdn|/sdn/zones|/sdn/zones/[\\w.-]+|/sdn/zones/[\\w.-]+/[\\w.-]+|/sdn/zones/[\\w.-]+/[\\w.-]+/[1-9][0-9]{0,3}' +
    '|/storage|/storage/[\\w.-]+|/vms|/vms/[1-9][0-9]{2,}|/mapping|/mapping/[\\w.-]+|/mapping/[\\w.-]+/[\\w.-]+)$',
);

export class AccessState {
  readonly users = new Map<string, UserInfo>();
  /** path => authid (user or full token id) => role => propagate */
  readonly acl = new Map<string, AclNode>();
  /** role => privileges: PVE's built-in roles plus custom ones (addRole) */
  readonly roleDefs = new Map<string, ReadonlySet<string>>(Object.entries(BUILTIN_ROLES));

  /**
   * POST /access/roles: a custom role with exactly these privileges. Throws PVE's texts: 500
   * `role '<id>' already exists`, `cannot modify special role '<id>'`, `invalid privilege '<priv>'`.
   */
  addRole(roleid: string, privs: string[]): void {
    if (BUILTIN_ROLES[roleid]) throw new PveHttpError(500, `cannot modify special role '${roleid}'`);
    if (this.roleDefs.has(roleid)) throw new PveHttpError(500, `role '${roleid}' already exists`);
    for (const p of privs) if (!VALID_PRIVILEGES.has(p)) throw new PveHttpError(500, `invalid privilege '${p}'`);
    this.roleDefs.set(roleid, new Set(privs));
  }

  constructor(rootPassword: string) {
    this.users.set(ROOT, { enable: 1, expire: 0, password: rootPassword, tokens: new Map() });
  }

  /** Adds (or replaces) a user; `password` enables ticket login for it. */
  addUser(userid: string, opts: { password?: string; enable?: 0 | 1; comment?: string } = {}): void {
    if (!/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/.test(userid)) throw new Error(`invalid user id '${userid}'`);
    const prev = this.users.get(userid);
    this.users.set(userid, { enable: opts.enable ?? 1, expire: 0, password: opts.password, comment: opts.comment, tokens: prev?.tokens ?? new Map() });
  }

  /** check_user_exist: 500 `no such user ('x@y')`. */
  user(userid: string): UserInfo {
    const u = this.users.get(userid);
    if (!u) throw new PveHttpError(500, `no such user ('${userid}')`);
    return u;
  }

  /** check_token_exist: 500 `no such token 'x' for user 'y@z'`. */
  token(userid: string, tokenid: string): TokenInfo {
    const t = this.user(userid).tokens.get(tokenid);
    if (!t) throw new PveHttpError(500, `no such token '${tokenid}' for user '${userid}'`);
    return t;
  }

  /** Creates a token and returns its secret (a lower-case UUID, as PVE::TokenConfig::generate_token). */
  addToken(userid: string, tokenid: string, opts: { privsep?: 0 | 1; expire?: number; comment?: string; secret?: string } = {}): string {
    const u = this.user(userid);
    const secret = opts.secret ?? randomUUID();
    u.tokens.set(tokenid, { privsep: opts.privsep ?? 1, expire: opts.expire ?? 0, comment: opts.comment, secret });
    return secret;
  }

  /** Removes a token and its ACL entries. */
  removeToken(userid: string, tokenid: string): void {
    this.token(userid, tokenid);
    this.user(userid).tokens.delete(tokenid);
    const full = `${userid}!${tokenid}`;
    for (const node of this.acl.values()) node.delete(full);
  }

  /** The secret of a full token id when the token and its user exist and are usable, else undefined. */
  tokenSecret(authid: string): string | undefined {
    const parts = splitTokenId(authid);
    if (!parts) return undefined;
    const u = this.users.get(parts[0]);
    return u?.enable ? u.tokens.get(parts[1])?.secret : undefined;
  }

  /** True when `password` is the user's lab password (and the user is enabled). */
  checkPassword(userid: string, password: string): boolean {
    const u = this.users.get(userid);
    return !!u && u.enable === 1 && u.password !== undefined && u.password === password;
  }

  /**
   * PUT /access/acl: adds (or with `remove` deletes) `roles` on `path` for users and full token ids.
   * Throws PVE's texts for an unknown role (`role '...' does not exist`) or a bad path.
   */
  setAcl(path: string, roles: string[], who: string[], opts: { propagate?: 0 | 1; remove?: boolean } = {}): void {
    const p = normalizePath(path);
    if (!p || !ACL_PATH_RE.test(p)) throw new PveHttpError(500, `invalid ACL path '${path}'`);
    for (const r of roles) if (!this.roleDefs.has(r)) throw new PveHttpError(500, `role '${r}' does not exist`);
    const node = this.acl.get(p) ?? new Map();
    for (const id of who) {
      const tok = splitTokenId(id);
      if (tok) this.token(tok[0], tok[1]);
      else this.user(id);
      const entry = node.get(id) ?? new Map<string, 0 | 1>();
      for (const r of roles) {
        if (opts.remove) entry.delete(r);
        else entry.set(r, opts.propagate ?? 1);
      }
      if (entry.size > 0) node.set(id, entry);
      else node.delete(id);
    }
    if (node.size > 0) this.acl.set(p, node);
    else this.acl.delete(p);
  }

  /** AccessControl::roles for one user or token on a path (no pools in the lab). */
  private roles(authid: string, path: string): Map<string, 0 | 1> {
    const parts = path.split('/').filter(Boolean);
    const chain = ['/', ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)];
    let roles = new Map<string, 0 | 1>();
    chain.forEach((p, i) => {
      const last = i === chain.length - 1;
      const entry = this.acl.get(p)?.get(authid);
      if (!entry) return;
      const next = new Map<string, 0 | 1>();
      for (const [r, prop] of entry) if (last || prop) next.set(r, prop);
      if (next.size > 0) roles = next; // "overwrite previous settings" only when something applies here
    });
    if (roles.has('NoAccess')) return new Map([['NoAccess', roles.get('NoAccess')!]]);
    return roles;
  }

  /** Privileges from roles: priv => propagate (1 when any role containing it propagates). */
  private privsOf(roles: Map<string, 0 | 1>): Map<string, 0 | 1> {
    const privs = new Map<string, 0 | 1>();
    for (const [r, prop] of roles) {
      for (const p of this.roleDefs.get(r) ?? []) privs.set(p, (privs.get(p) || prop) as 0 | 1);
    }
    return privs;
  }

  /** RPCEnvironment::permissions: the privileges of a user or token id on a path (priv => propagate). */
  permissions(authid: string, path: string): Map<string, 0 | 1> {
    if (authid === ROOT) return new Map([...VALID_PRIVILEGES].map((p) => [p, 1 as const]));
    const tok = splitTokenId(authid);
    if (tok) {
      const info = this.users.get(tok[0])?.tokens.get(tok[1]);
      if (!info) return new Map();
      const userPrivs = this.permissions(tok[0], path);
      if (!info.privsep) return userPrivs;
      const own = this.privsOf(this.roles(authid, path));
      if (tok[0] === ROOT) return own;
      const both = new Map<string, 0 | 1>();
      for (const [p, prop] of own) if (userPrivs.has(p)) both.set(p, (prop && userPrivs.get(p)) as 0 | 1);
      return both;
    }
    if (!this.users.get(authid)?.enable) return new Map();
    return this.privsOf(this.roles(authid, path));
  }

  /** get_effective_permissions: every top-level path and every ACL path with at least one privilege. */
  effectivePermissions(authid: string): Record<string, Record<string, 0 | 1>> {
    const paths = new Set(['/', '/access', '/access/groups', '/nodes', '/pool', '/sdn', '/storage', '/vms', ...this.acl.keys()]);
    const out: Record<string, Record<string, 0 | 1>> = {};
    for (const p of [...paths].sort()) {
      const privs = this.permissions(authid, p);
      if (privs.size > 0) out[p] = Object.fromEntries([...privs].sort(([a], [b]) => a.localeCompare(b)));
    }
    return out;
  }

  /**
   * RPCEnvironment::check / check_any: throws 403 `Permission check failed (<path>, <priv>)` naming the first
   * missing privilege (check) or `(<path>, A|B|C)` (any).
   */
  check(authid: string, path: string, privs: string[], any = false): void {
    const have = this.permissions(authid, path);
    if (any) {
      if (!privs.some((p) => have.has(p))) throw permissionError(`${path}, ${privs.join('|')}`);
      return;
    }
    for (const p of privs) if (!have.has(p)) throw permissionError(`${path}, ${p}`);
  }
}

/** PVE::Exception::raise_perm_exc: 403 `Permission check failed` plus ` (<what>)` when given. */
export function permissionError(what?: string): PveHttpError {
  return new PveHttpError(403, `Permission check failed${what ? ` (${what})` : ''}`);
}
