import { canvasOriginOf } from '../../src-shared/contract/origins';
import type { PortRange } from '../../src-shared/contract/schemas';

/**
 * The origins the UI may frame: each deployed app's canvas, `http(s)://<host>:<port>` with the port inside the
 * internal (canvas) port range from settings. The CSP's frame-src is built from this list, so an origin only
 * becomes frameable after the app state says it exists. When the range changes (`setRange`), the remembered
 * canvas URLs are checked again: a canvas outside the new range stops being frameable at once.
 */
export class CanvasOrigins {
  private urls: readonly string[] = [];
  private origins: string[] = [];

  constructor(private range: PortRange) {}

  /** Replaces the set from app state. URLs that are not allowed canvases are dropped (and returned). */
  replaceAll(urls: readonly string[]): { rejected: string[] } {
    this.urls = [...urls];
    return this.recompute();
  }

  /** Follows a new internal port range (settings); returns the URLs no longer allowed. */
  setRange(range: PortRange): { rejected: string[] } {
    this.range = { start: range.start, end: range.end };
    return this.recompute();
  }

  list(): readonly string[] {
    return this.origins;
  }

  private recompute(): { rejected: string[] } {
    const rejected: string[] = [];
    const next = new Set<string>();
    for (const url of this.urls) {
      const o = canvasOriginOf(url, this.range);
      if (o) next.add(o);
      else rejected.push(url);
    }
    this.origins = [...next].sort();
    return { rejected };
  }
}

/** The slice of core that canvas origins follow: the internal range now and its changes. */
export interface CanvasRangeSource {
  settings: { getPortRanges(): { internal: PortRange } };
  events: { on(event: 'settings.changed', listener: (payload: { keys: readonly string[] }) => void): () => void };
}

/**
 * Canvas origins that follow the internal port range in settings: built from the current range and updated
 * on every `settings.changed` core event that touches it. Returns the origins and the unsubscribe function.
 */
export function followCanvasRange(core: CanvasRangeSource, log: (line: string) => void = console.error): { origins: CanvasOrigins; stop(): void } {
  const origins = new CanvasOrigins(core.settings.getPortRanges().internal);
  const stop = core.events.on('settings.changed', ({ keys }) => {
    if (!keys.includes('ports.internalRange')) return;
    const { rejected } = origins.setRange(core.settings.getPortRanges().internal);
    if (rejected.length) log(`[csp] canvas URLs outside the new internal range are no longer frameable: ${rejected.join(', ')}`);
  });
  return { origins, stop };
}
