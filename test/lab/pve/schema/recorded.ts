// Contract check for tests: does a request our client sent (method, full path, params) pass PVE's validation?
import type { PveSchema, RecordedRequest } from './types';

/** Returns [] when PVE would accept the request, else one line per problem (`param: message`). */
export function validateRecordedRequest(schema: PveSchema, req: RecordedRequest): string[] {
  const q = req.path.indexOf('?');
  let path = q >= 0 ? req.path.slice(0, q) : req.path;
  path = path.replace(/^\/api2\/(?:json|extjs)(?=\/|$)/, '');
  const params: Record<string, unknown> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(req.path.slice(q + 1))) {
      const prev = params[k];
      params[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  Object.assign(params, req.params);
  // Paths logged by the emulator are already unescaped; raw client URLs are not. Try as given, then unescaped.
  let route = schema.resolve(req.method, path);
  if (!route && path.includes('%')) {
    try {
      path = decodeURIComponent(path);
      route = schema.resolve(req.method, path);
    } catch {
      // malformed escape: keep the original path for the message
    }
  }
  if (!route) return [`Method '${req.method.toUpperCase()} ${path}' not implemented`];
  const result = schema.validate(route, params, { encoding: req.encoding });
  if (result.ok) return [];
  return Object.entries(result.errors).map(([k, msg]) => `${k}: ${msg.replace(/\n$/, '')}`);
}
