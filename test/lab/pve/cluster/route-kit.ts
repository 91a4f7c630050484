// Shared plumbing for the cluster route files: the deps bundle and a RouteTable wrapper that resolves `{node}`
// the way pveproxy does before any handler runs (unknown node => hostname lookup error, offline => 595).
import type { LabBackend } from '../../backend';
import type { AccessState } from '../access/access-state';
import { NODE_OFFLINE_MESSAGE, NODE_OFFLINE_STATUS } from '../faults';
import { PveHttpError, type RouteContext, type RouteHandler, type RouteTable } from '../types';
import { type ClusterFaults, type ClusterState, type NodeState, getNode } from './cluster-state';

export interface ClusterDeps {
  state: ClusterState;
  backend: LabBackend;
  faults: ClusterFaults;
  /** lock_config timeout in ms (PVE: 10000; see config-lock.ts) */
  lockTimeoutMs?: number;
  /** users/tokens/ACLs for the permission checks handlers make themselves (methods with `user: all`) */
  access?: AccessState;
}

/**
 * A check a handler makes itself ($rpcenv->check / check_any): 403 `Permission check failed (<path>, <priv>)`.
 * Nothing to check without an access state or for root@pam.
 */
export function checkPerm(deps: ClusterDeps, ctx: RouteContext, path: string, privs: string[], any = false): void {
  if (!deps.access || !ctx.identity.authid || ctx.identity.authid === 'root@pam') return;
  deps.access.check(ctx.identity.authid, path, privs, any);
}

/** $rpcenv->check(..., $noerr): whether the caller has the privilege (true without an access state). */
export function hasPerm(deps: ClusterDeps, ctx: RouteContext, path: string, priv: string): boolean {
  if (!deps.access || !ctx.identity.authid || ctx.identity.authid === 'root@pam') return true;
  return deps.access.permissions(ctx.identity.authid, path).has(priv);
}

/** The handler shape used inside this folder: gets the resolved node (when the path has one). */
export type NodeHandler = (ctx: RouteContext, node: NodeState) => unknown;


export function nodeScoped(routes: RouteTable, deps: ClusterDeps) {
  return (method: RouteContext['method'], path: string, handler: NodeHandler) => {
    const wrapped: RouteHandler = (ctx) => {
      const node = getNode(deps.state, String(ctx.params.node));
      if (deps.faults.isNodeOffline(node.name)) throw new PveHttpError(NODE_OFFLINE_STATUS, NODE_OFFLINE_MESSAGE);
      return handler(ctx, node);
    };
    routes.on(method, path, wrapped);
  };
}

/** `vmid` is already an integer after schema validation; keep a guard for direct (test) calls. */
export function vmidOf(ctx: RouteContext): number {
  const v = Number(ctx.params.vmid);
  if (!Number.isInteger(v)) throw new PveHttpError(400, 'Parameter verification failed.', { vmid: `type check ('integer') failed - got '${ctx.params.vmid}'` });
  return v;
}

/** PVE writes dates in task logs as `YYYY-MM-DD HH:MM:SS` (node local time; the lab uses UTC). */
export function logDate(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}
