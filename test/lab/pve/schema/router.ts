// Path matching: a trie over template segments. Literal segments win over `{vars}`; on a dead end the
// matcher backtracks to the next candidate. `{volume}` (storage content) and `{cidr}` (firewall IP sets) take
// the rest of the path, because PVE registers those subclasses with `fragmentDelimiter => ''` (volume ids
// and CIDRs contain `/`).
import type { EndpointInfo, ResolvedRoute } from './types';

type Method = ResolvedRoute['method'];
const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];
const REST_VARS = new Set(['volume', 'cidr']);

interface Node {
  literal: Map<string, Node>;
  vars: Map<string, Node>;
  /** template of this node's path, set when at least one method ends here */
  template?: string;
  methods: Map<Method, EndpointInfo>;
}

const newNode = (): Node => ({ literal: new Map(), vars: new Map(), methods: new Map() });

export class Router {
  private readonly root = newNode();

  constructor(endpoints: Record<string, EndpointInfo>) {
    for (const [key, info] of Object.entries(endpoints)) {
      const space = key.indexOf(' ');
      const method = key.slice(0, space) as Method;
      const template = key.slice(space + 1);
      let node = this.root;
      for (const seg of splitPath(template)) {
        const v = /^\{(\w+)\}$/.exec(seg);
        const map = v ? node.vars : node.literal;
        const name = v ? v[1] : seg;
        if (!map.has(name)) map.set(name, newNode());
        node = map.get(name)!;
      }
      node.template = template;
      node.methods.set(method, info);
    }
  }

  /**
   * Resolve a concrete, already unescaped path (no /api2/json prefix, no query).
   * null => PVE's 501 "Method '...' not implemented".
   */
  resolve(method: string, path: string): ResolvedRoute | null {
    const m = method.toUpperCase();
    if (!METHODS.includes(m)) return null;
    // The path arrives URI-unescaped (pve-http-server unescapes before matching), so `%` is literal here.
    const segments = splitPath(path);
    const params: Record<string, string> = {};
    const node = match(this.root, segments, 0, params);
    const info = node?.methods.get(m as Method);
    if (!node || !info) return null;
    return { method: m as Method, template: node.template!, pathParams: params, info };
  }
}

/** Like PVE's find_handler: drop empty fragments (leading, trailing and doubled slashes). */
export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function match(node: Node, segs: string[], i: number, params: Record<string, string>): Node | null {
  if (i === segs.length) return node.template ? node : null;
  const lit = node.literal.get(segs[i]);
  if (lit) {
    const found = match(lit, segs, i + 1, params);
    if (found) return found;
  }
  for (const [name, child] of node.vars) {
    const isRest = REST_VARS.has(name) && child.template && child.literal.size === 0 && child.vars.size === 0;
    if (isRest) {
      params[name] = segs.slice(i).join('/');
      return child;
    }
    params[name] = segs[i];
    const found = match(child, segs, i + 1, params);
    if (found) return found;
    delete params[name];
  }
  return null;
}
