import { afterEach, describe, expect, it } from 'vitest';
import { canvasOriginOf } from '../../../src-shared/contract/origins';
import { CanvasOrigins, followCanvasRange } from '../../../src-main/platform/canvas-origins';
import { buildContentSecurityPolicy } from '../../../src-main/platform/content-security-policy';
import { openTempCore } from '../ipc/temp-core';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
const CANVAS = { start: 40000, end: 40999 };

describe('canvas origins', () => {
  it('accepts only http(s) origins on the canvas port range', () => {
    expect(canvasOriginOf('http://10.20.0.2:40000/some/path?x=1', CANVAS)).toBe('http://10.20.0.2:40000');
    expect(canvasOriginOf('https://Apps.Prox.Local:40999/', CANVAS)).toBe('https://apps.prox.local:40999');
    for (const bad of [
      'http://10.20.0.2:39999',
      'http://10.20.0.2:41000',
      'http://10.20.0.2', // default port
      'ftp://10.20.0.2:40001',
      'javascript://x:40001',
      'http://user:pw@10.20.0.2:40001',
      'http://[::1]:40001',
      'not a url',
    ]) {
      expect(canvasOriginOf(bad, CANVAS), bad).toBeNull();
    }
  });

  it('replaces the set from state, dedupes and reports rejects', () => {
    const reg = new CanvasOrigins(CANVAS);
    expect(reg.replaceAll(['http://b:40002/', 'http://a:40001/x', 'http://a:40001/y', 'http://a:80/']).rejected).toEqual(['http://a:80/']);
    expect(reg.list()).toEqual(['http://a:40001', 'http://b:40002']);
    reg.replaceAll([]);
    expect(reg.list()).toEqual([]);
  });

  describe('following the internal range in settings', () => {
    let temp: ReturnType<typeof openTempCore> | null = null;
    afterEach(() => {
      temp?.dispose();
      temp = null;
    });

    it('takes the range from settings and follows a change of it (core settings.changed)', () => {
      temp = openTempCore();
      const { core } = temp;
      const logs: string[] = [];
      const { origins, stop } = followCanvasRange(core, (l) => logs.push(l));
      origins.replaceAll(['http://10.20.0.2:40001/', 'http://10.20.0.2:45001/']);
      expect(origins.list()).toEqual(['http://10.20.0.2:40001']);

      core.settings.setPortRanges({ internal: { start: 45000, end: 45999 } }, 'operator');
      expect(origins.list()).toEqual(['http://10.20.0.2:45001']);
      expect(logs).toEqual([expect.stringContaining('http://10.20.0.2:40001/')]);
      const csp = directives(buildContentSecurityPolicy({ frameOrigins: origins.list() }));
      expect(csp.get('frame-src')).toEqual(['http://10.20.0.2:45001']);

      // A change of the public range alone leaves the canvas set as it is; after stop() nothing follows.
      core.settings.setPortRanges({ public: { start: 31000, end: 31999 } });
      expect(origins.list()).toEqual(['http://10.20.0.2:45001']);
      stop();
      core.settings.setPortRanges({ internal: { start: 40000, end: 40999 } });
      expect(origins.list()).toEqual(['http://10.20.0.2:45001']);
    });
  });
});

describe('content security policy', () => {
  it('is same-origin only with no canvas and frames nothing', () => {
    const csp = buildContentSecurityPolicy({ frameOrigins: [] });
    const d = directives(csp);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('frames exactly the registered canvas origins and drops anything that is not one', () => {
    const reg = new CanvasOrigins(CANVAS);
    reg.replaceAll(['http://10.20.0.5:40003/', 'http://10.20.0.6:40004']);
    const csp = buildContentSecurityPolicy({ frameOrigins: [...reg.list(), "http://x:40005; script-src 'unsafe-inline'", 'https://evil.example'] });
    const d = directives(csp);
    expect(d.get('frame-src')).toEqual(['http://10.20.0.5:40003', 'http://10.20.0.6:40004']);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('evil');
    expect(csp).not.toContain('unsafe-inline');
  });

  it('adds only well-formed connect sources (the web bridge socket) and relaxes inline code only for the dev server', () => {
    const d = directives(buildContentSecurityPolicy({ frameOrigins: [], connectSources: ['ws://127.0.0.1:5555', "ws://x; script-src *"] }));
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:5555']);
    const dev = directives(buildContentSecurityPolicy({ frameOrigins: [], devServer: true }));
    expect(dev.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });
});
