// RPCEnvironment::check_api2_permissions / exec_api2_perm_check, driven by each method's `permissions` in
// the schema dump (`{check: ['perm', '/vms/{vmid}', ['VM.PowerMgmt']]}`, `{user: 'all'}`, ...). PVE runs it
// after finding the method and merging URI + request parameters, before verifying the parameters.
import { type AccessState, ROOT, normalizePath, permissionError, splitTokenId } from './access-state';

export interface PermissionSpec {
  user?: 'all' | 'world';
  check?: unknown[];
  description?: string;
}

/** PVE::Tools::template_replace: `{name}` from the parameters ('' when missing). */
function templateReplace(tmpl: string, params: Record<string, unknown>): string {
  return tmpl.replace(/\{(\w+)\}/g, (_m, k: string) => (params[k] === undefined ? '' : String(params[k])));
}

/** Returns true/false with `noerr`, else throws 403 like PVE. */
function exec(access: AccessState, check: unknown[], authid: string, params: Record<string, unknown>, noerr: boolean): boolean {
  const [test, ...rest] = check as [string, ...any[]];
  const fail = (what?: string): boolean => {
    if (noerr) return false;
    throw permissionError(what);
  };
  switch (test) {
    case 'and':
      for (const sub of rest) exec(access, sub, authid, params, false);
      return true;
    case 'or':
      for (const sub of rest) if (exec(access, sub, authid, params, true)) return true;
      return fail();
    case 'perm': {
      const [tmpl, privs, ...opts] = rest as [string, string[], ...unknown[]];
      const options: Record<string, unknown> = {};
      for (let i = 0; i + 1 < opts.length; i += 2) options[String(opts[i])] = opts[i + 1];
      const requireParam = options.require_param as string | undefined;
      if (requireParam && params[requireParam] === undefined) return fail();
      const path = normalizePath(templateReplace(tmpl, params)) ?? templateReplace(tmpl, params);
      try {
        access.check(authid, path, privs, !!options.any);
        return true;
      } catch (e) {
        if (noerr) return false;
        throw e;
      }
    }
    case 'userid-param': {
      const userid = String(params.userid ?? '');
      if (rest[0] === 'self') {
        if (!access.users.has(userid)) return fail();
        return authid === userid ? true : fail();
      }
      // Realm.AllocateUser
      const realm = userid.split('@')[1] ?? '';
      try {
        access.check(authid, `/access/realm/${realm}`, ['Realm.AllocateUser']);
        return true;
      } catch (e) {
        if (noerr) return false;
        throw e;
      }
    }
    case 'userid-group': {
      // the lab has no groups: permission on /access/groups (all groups) is the only way
      const privs = rest[0] as string[];
      if (access.permissions(authid, '/access/groups').size > 0 && privs.some((p) => access.permissions(authid, '/access/groups').has(p))) {
        return true;
      }
      return fail();
    }
    case 'perm-modify': {
      const path = normalizePath(templateReplace(String(rest[0]), params));
      if (!path) return fail();
      const privs = ['Permissions.Modify'];
      if (/^\/storage\/.+$/.test(path)) privs.push('Datastore.Allocate');
      else if (/^\/vms\/.+$/.test(path)) privs.push('VM.Allocate');
      else if (/^\/pool\/.+$/.test(path)) privs.push('Pool.Allocate');
      try {
        access.check(authid, path, privs, true);
        return true;
      } catch (e) {
        if (noerr) return false;
        throw e;
      }
    }
    default:
      throw new Error(`unknown permission test '${String(test)}'`);
  }
}

/**
 * check_api2_permissions for `authid` (a user or full token id) with the merged request parameters.
 * Throws PveHttpError 403 (`Permission check failed (/vms/100, VM.PowerMgmt)`, or `(user != root@pam)` for
 * root-only methods). root@pam passes everything.
 */
export function checkApiPermissions(access: AccessState, spec: PermissionSpec | undefined, authid: string, params: Record<string, unknown>): void {
  if (spec?.user === 'world') return;
  if (!authid) throw permissionError('user != null');
  if (authid === ROOT) return;
  if (!spec) throw permissionError('user != root@pam');
  if (spec.user === 'all') return;
  if (spec.check) {
    exec(access, spec.check, authid, params, false);
    return;
  }
  throw permissionError();
}

/** True when `authid` is root@pam itself or a token of root@pam without privilege separation. */
export function actsAsRoot(access: AccessState, authid: string): boolean {
  if (authid === ROOT) return true;
  const tok = splitTokenId(authid);
  return !!tok && tok[0] === ROOT && access.users.get(ROOT)?.tokens.get(tok[1])?.privsep === 0;
}
