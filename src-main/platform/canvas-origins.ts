/**
 * The origins the UI may frame: each deployed app's canvas, `http(s)://<host>:<40000-40999>`. The CSP's
 * frame-src is built from this list, so an origin only becomes frameable after the app state says it exists.
 */
export const CANVAS_PORT_MIN = 40000;
export const CANVAS_PORT_MAX = 40999;

// A DNS name or IPv4 address; IPv6 and anything with userinfo/paths are refused on purpose (CSP source syntax).
const HOST_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** The canonical origin for a canvas URL, or null when it is not an allowed canvas URL. */
export function canvasOriginOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username || u.password) return null;
  if (!HOST_PATTERN.test(u.hostname)) return null;
  const port = Number(u.port);
  if (!Number.isInteger(port) || port < CANVAS_PORT_MIN || port > CANVAS_PORT_MAX) return null;
  return `${u.protocol}//${u.hostname}:${port}`;
}

export class CanvasOrigins {
  private origins: string[] = [];
  private readonly listeners = new Set<(origins: readonly string[]) => void>();

  /** Replaces the set from app state. Invalid URLs are dropped (and returned) rather than loosening the CSP. */
  replaceAll(urls: readonly string[]): { rejected: string[] } {
    const rejected: string[] = [];
    const next = new Set<string>();
    for (const url of urls) {
      const o = canvasOriginOf(url);
      if (o) next.add(o);
      else rejected.push(url);
    }
    const sorted = [...next].sort();
    const changed = sorted.length !== this.origins.length || sorted.some((o, i) => o !== this.origins[i]);
    this.origins = sorted;
    if (changed) for (const l of this.listeners) l(this.origins);
    return { rejected };
  }

  list(): readonly string[] {
    return this.origins;
  }

  has(url: string): boolean {
    const o = canvasOriginOf(url);
    return o !== null && this.origins.includes(o);
  }

  onChange(listener: (origins: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
