import { describe, expect, it } from 'vitest';
import { CanvasOrigins, canvasOriginOf } from '../../../src-main/platform/canvas-origins';
import { buildContentSecurityPolicy } from '../../../src-main/platform/content-security-policy';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('canvas origins', () => {
  it('accepts only http(s) origins on the canvas port range', () => {
    expect(canvasOriginOf('http://10.20.0.2:40000/some/path?x=1')).toBe('http://10.20.0.2:40000');
    expect(canvasOriginOf('https://Apps.Prox.Local:40999/')).toBe('https://apps.prox.local:40999');
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
      expect(canvasOriginOf(bad), bad).toBeNull();
    }
  });

  it('replaces the set from state, dedupes, reports rejects and notifies on change only', () => {
    const reg = new CanvasOrigins();
    const seen: string[][] = [];
    reg.onChange((o) => seen.push([...o]));
    expect(reg.replaceAll(['http://b:40002/', 'http://a:40001/x', 'http://a:40001/y', 'http://a:80/']).rejected).toEqual(['http://a:80/']);
    expect(reg.list()).toEqual(['http://a:40001', 'http://b:40002']);
    reg.replaceAll(['http://a:40001', 'http://b:40002']);
    expect(seen).toHaveLength(1);
    expect(reg.has('http://a:40001/deep')).toBe(true);
    expect(reg.has('http://c:40003')).toBe(false);
    reg.replaceAll([]);
    expect(seen).toHaveLength(2);
  });
});

describe('content security policy', () => {
  it('is same-origin only with no canvas and frames nothing', () => {
    const d = directives(buildContentSecurityPolicy([]));
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(buildContentSecurityPolicy([])).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('frames exactly the registered canvas origins and drops anything that is not one', () => {
    const reg = new CanvasOrigins();
    reg.replaceAll(['http://10.20.0.5:40003/', 'http://10.20.0.6:40004']);
    const csp = buildContentSecurityPolicy([...reg.list(), "http://x:40005; script-src 'unsafe-inline'", 'https://evil.example']);
    const d = directives(csp);
    expect(d.get('frame-src')).toEqual(['http://10.20.0.5:40003', 'http://10.20.0.6:40004']);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('evil');
    expect(csp).not.toContain('unsafe-inline');
  });
});
