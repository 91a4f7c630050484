// The part of PVE's request handling that is the same for HTTPS requests and in-process calls (the way `pct`
// and `pveam` run the API code on the node): find the method (501), merge URI + query/body params, verify
// them against the schema (400 + `errors`), run the handler, and normalise its result or error.
import type { AccessState } from './access/access-state';
import { checkApiPermissions } from './access/perm-check';
import type { PveSchema, ResolvedRoute } from './schema';
import type { Router } from './router';
import { PveHttpError, type PveIdentity, type RouteResult, type TaskManager } from './types';

export type Encoding = 'form' | 'json';

export interface ApiCall {
  method: string;
  /** path below /api2/json, e.g. /nodes/pve/lxc (already URI-unescaped) */
  relUri: string;
  /** query + body parameters (strings / string[] when form-encoded, JSON values when encoding === 'json') */
  params: Record<string, unknown>;
  encoding: Encoding;
  identity: PveIdentity;
}

export type ApiOutcome =
  | { ok: true; route: ResolvedRoute; result: RouteResult }
  | { ok: false; route?: ResolvedRoute; error: PveHttpError };

export interface ApiCoreDeps {
  schema: PveSchema;
  router: Router;
  tasks: TaskManager;
  /** users, tokens and ACLs; when set, every call is permission-checked like PVE (root@pam passes all) */
  access?: AccessState;
  logger?: (line: string) => void;
}

export function notImplemented(method: string, relUri: string): PveHttpError {
  return new PveHttpError(501, `Method '${method} ${relUri}' not implemented`);
}

export function resolveRoute(deps: ApiCoreDeps, method: string, relUri: string): ResolvedRoute {
  const route = deps.schema.resolve(method, relUri);
  if (!route) throw notImplemented(method, relUri);
  return route;
}

/** Runs verification + handler for an already-resolved (and, over HTTP, already authorised) call. */
export async function runRoute(deps: ApiCoreDeps, route: ResolvedRoute, call: ApiCall): Promise<ApiOutcome> {
  try {
    // PVE: a body/query key that is also a URI variable is refused before verification
    for (const k of Object.keys(call.params)) {
      if (k in route.pathParams) {
        throw new PveHttpError(400, 'Parameter verification failed.', { [k]: 'duplicate parameter (already defined in URI)' });
      }
    }
    const merged = { ...call.params, ...route.pathParams };
    // pve-manager HTTPServer rest_handler: check_api2_permissions on the merged, not yet verified parameters
    if (deps.access) checkApiPermissions(deps.access, route.info.permissions, call.identity.authid, merged);
    const v = deps.schema.validate(route, merged, { encoding: call.encoding });
    if (!v.ok) throw new PveHttpError(400, 'Parameter verification failed.', v.errors);
    const handler = deps.router.get(route.method, route.template);
    if (!handler) {
      deps.logger?.(`lab: ${route.method} ${route.template} is in the PVE schema but not implemented in the lab`);
      throw notImplemented(call.method, call.relUri);
    }
    const raw = await handler({
      params: v.params,
      identity: call.identity,
      method: route.method,
      path: route.template,
      tasks: deps.tasks,
    });
    return { ok: true, route, result: toRouteResult(raw) };
  } catch (e) {
    return { ok: false, route, error: toPveError(e) };
  }
}

/** Handlers may return bare data or `{data, total?, changes?}`; only objects whose keys are all of those count. */
export function toRouteResult(raw: unknown): RouteResult {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'data' in raw) {
    const keys = Object.keys(raw);
    if (keys.every((k) => k === 'data' || k === 'total' || k === 'changes')) return raw as RouteResult;
  }
  return { data: raw === undefined ? null : raw };
}

/** Anything a handler throws becomes a PVE error; non-PVE errors are a 500 with their message, as in PVE. */
export function toPveError(e: unknown): PveHttpError {
  if (e instanceof PveHttpError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new PveHttpError(500, msg || 'internal error');
}
