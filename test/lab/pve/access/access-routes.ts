// /access routes beyond login (pve-access-control API2/AccessControl.pm, User.pm, ACL.pm, Role.pm):
// GET /access/permissions, the API-token endpoints under /access/users/{userid}/token, users (list, create),
// ACLs (list, update) and roles (list). Permission checks of the methods themselves run before (perm-check.ts).
import type { Router } from '../router';
import { PveHttpError, type RouteContext } from '../types';
import { type AccessState, type TokenInfo, splitTokenId } from './access-state';
import { BUILTIN_ROLES } from './privileges';

/** A token as user.cfg keeps it: privsep always, expire and comment only when set. */
function tokenInfo(t: TokenInfo): Record<string, unknown> {
  return { privsep: t.privsep, ...(t.expire ? { expire: t.expire } : {}), ...(t.comment ? { comment: t.comment } : {}) };
}

const list = (v: unknown): string[] => (v === undefined ? [] : String(v).split(/[,;\s\0]+/).filter(Boolean));
const bool01 = (v: unknown): 0 | 1 => (v === 1 || v === true || v === '1' ? 1 : 0);

/**
 * Registers the /access routes on `router`, acting on `access`. Errors are PVE's: 500 `no such user ('x@y')`,
 * `no such token 'n' for user 'x@y'`, 400 `tokenid: Token already exists.`, 403 from access.check.
 */
export function registerAccessRoutes(router: Router, access: AccessState): void {
  const on = (method: RouteContext['method'], path: string, h: (ctx: RouteContext) => unknown) => router.on(method, path, h);

  on('GET', '/access/permissions', ({ params, identity }) => {
    const authid = identity.authid;
    const userid = params.userid === undefined ? authid : String(params.userid);
    const owner = splitTokenId(userid)?.[0];
    // own permissions, or those of an own token, need nothing; anyone else's need Sys.Audit on /access
    if (userid !== authid && owner !== authid) access.check(authid, '/access', ['Sys.Audit']);
    if (params.path !== undefined && params.path !== '') {
      const path = String(params.path);
      return { [path]: Object.fromEntries(access.permissions(userid, path)) };
    }
    return access.effectivePermissions(userid);
  });

  on('GET', '/access/users/{userid}/token', ({ params }) => {
    const u = access.user(String(params.userid));
    return [...u.tokens].map(([tokenid, t]) => ({ tokenid, ...tokenInfo(t) }));
  });

  on('GET', '/access/users/{userid}/token/{tokenid}', ({ params }) => tokenInfo(access.token(String(params.userid), String(params.tokenid))));

  on('POST', '/access/users/{userid}/token/{tokenid}', ({ params }) => {
    const userid = String(params.userid);
    const tokenid = String(params.tokenid);
    const exists = access.users.get(userid)?.tokens.has(tokenid);
    access.user(userid);
    if (exists) throw new PveHttpError(400, 'Parameter verification failed.', { tokenid: 'Token already exists.' });
    const value = access.addToken(userid, tokenid, {
      privsep: params.privsep === undefined ? 1 : bool01(params.privsep),
      expire: params.expire === undefined ? 0 : Number(params.expire),
      comment: params.comment ? String(params.comment) : undefined,
    });
    return { 'full-tokenid': `${userid}!${tokenid}`, info: tokenInfo(access.token(userid, tokenid)), value };
  });

  on('PUT', '/access/users/{userid}/token/{tokenid}', ({ params }) => {
    const t = access.token(String(params.userid), String(params.tokenid));
    if (params.privsep !== undefined) t.privsep = bool01(params.privsep);
    if (params.expire !== undefined) t.expire = Number(params.expire);
    if (params.comment) t.comment = String(params.comment);
    return tokenInfo(t);
  });

  on('DELETE', '/access/users/{userid}/token/{tokenid}', ({ params }) => {
    access.removeToken(String(params.userid), String(params.tokenid));
    return null;
  });

  on('GET', '/access/users', ({ identity }) =>
    [...access.users]
      .filter(([userid]) => userid === identity.authid || access.permissions(identity.authid, '/access/groups').has('User.Modify')
        || access.permissions(identity.authid, '/access/groups').has('Sys.Audit'))
      .map(([userid, u]) => ({ userid, enable: u.enable, expire: u.expire, ...(u.comment ? { comment: u.comment } : {}),
        ...(u.tokens.size ? { tokens: [...u.tokens].map(([tokenid, t]) => ({ tokenid, ...tokenInfo(t) })) } : {}) })),
  );

  on('POST', '/access/users', ({ params }) => {
    const userid = String(params.userid);
    if (access.users.has(userid)) throw new PveHttpError(500, `create user failed: user '${userid}' already exists`);
    // the lab keeps passwords for every realm (PVE stores them for pve realm users; pam checks the host)
    access.addUser(userid, {
      password: params.password === undefined ? undefined : String(params.password),
      enable: params.enable === undefined ? 1 : bool01(params.enable),
      comment: params.comment === undefined ? undefined : String(params.comment),
    });
    return null;
  });

  on('GET', '/access/acl', () => {
    const rows: Record<string, unknown>[] = [];
    for (const [path, node] of [...access.acl].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [ugid, roles] of node) {
        for (const [roleid, propagate] of roles) {
          rows.push({ path, type: splitTokenId(ugid) ? 'token' : 'user', ugid, roleid, propagate });
        }
      }
    }
    return rows;
  });

  on('PUT', '/access/acl', ({ params }) => {
    if (params.groups !== undefined) throw new PveHttpError(500, `group '${list(params.groups)[0]}' does not exist`);
    if (params.users === undefined && params.tokens === undefined && params.groups === undefined) {
      const msg = "either 'users', 'groups' or 'tokens' is required.";
      throw new PveHttpError(400, 'Parameter verification failed.', { users: msg, groups: msg, tokens: msg });
    }
    access.setAcl(String(params.path), list(params.roles), [...list(params.users), ...list(params.tokens)], {
      propagate: params.propagate === undefined ? 1 : bool01(params.propagate),
      remove: bool01(params.delete) === 1,
    });
    return null;
  });

  on('GET', '/access/roles', () =>
    [...access.roleDefs]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([roleid, privs]) => ({ roleid, special: BUILTIN_ROLES[roleid] ? 1 : 0, privs: [...privs].sort().join(',') })),
  );

  on('POST', '/access/roles', ({ params }) => {
    access.addRole(String(params.roleid), list(params.privs));
    return null;
  });
}
