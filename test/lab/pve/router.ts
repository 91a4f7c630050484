// The emulator's route table: handlers keyed by method + schema template (`/nodes/{node}/lxc/{vmid}/config`).
// Path matching itself is the schema's job (resolve); this only maps a resolved template to its handler, so a
// path that exists in the schema but has no handler here answers 501 like an unimplemented PVE method.
import type { RouteContext, RouteHandler, RouteTable } from './types';

export type HttpMethod = RouteContext['method'];

export class Router implements RouteTable {
  private readonly handlers = new Map<string, RouteHandler>();

  on(method: HttpMethod, path: string, handler: RouteHandler): void {
    const key = `${method} ${path}`;
    // Two registrations for one method are a wiring bug between helpers: fail loudly at start-up.
    if (this.handlers.has(key)) throw new Error(`route registered twice: ${key}`);
    this.handlers.set(key, handler);
  }

  get(method: string, template: string): RouteHandler | undefined {
    return this.handlers.get(`${method} ${template}`);
  }

  has(method: string, template: string): boolean {
    return this.handlers.has(`${method} ${template}`);
  }

  /** `"METHOD /template"` of every registered route, sorted (for logs and coverage reports). */
  list(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
