import { describe, expect, it } from 'vitest';
import { createOriginPolicy, senderInfoFromElectronEvent } from '../../../src-main/ipc/sender-policy';
import { originOf } from '../../../src-shared/contract/origins';

describe('originOf', () => {
  it('keeps custom schemes distinct (URL.origin would say "null")', () => {
    expect(originOf('app://proximity/index.html#/x')).toBe('app://proximity');
    expect(originOf('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(originOf('https://EXAMPLE.org/a')).toBe('https://example.org');
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('not a url')).toBeNull();
  });
});

describe('createOriginPolicy', () => {
  const policy = createOriginPolicy(['app://proximity', 'http://localhost:5173']);
  it('allows the app origin and the dev server, top frame only', () => {
    expect(policy({ isTopFrame: true, url: 'app://proximity/index.html' })).toBe(true);
    expect(policy({ isTopFrame: true, url: 'http://localhost:5173/index.html' })).toBe(true);
    expect(policy({ isTopFrame: false, url: 'app://proximity/index.html' })).toBe(false);
    expect(policy({ isTopFrame: true, url: 'http://localhost:5174/' })).toBe(false);
    expect(policy({ isTopFrame: true, url: 'http://10.20.0.5:30000/' })).toBe(false);
    expect(policy({ isTopFrame: true, url: 'about:blank' })).toBe(false);
  });
  it('refuses to build from something that is not an origin', () => {
    expect(() => createOriginPolicy(['nope'])).toThrow();
  });
});

describe('senderInfoFromElectronEvent', () => {
  const main = { url: 'app://proximity/index.html', parent: null };
  it('treats the main frame as top and an iframe as not top', () => {
    expect(senderInfoFromElectronEvent({ senderFrame: main, sender: { mainFrame: main } })).toEqual({ isTopFrame: true, url: main.url });
    const iframe = { url: 'http://10.20.0.5:40000/', parent: main };
    expect(senderInfoFromElectronEvent({ senderFrame: iframe, sender: { mainFrame: main } })).toEqual({ isTopFrame: false, url: iframe.url });
  });
  it('refuses a destroyed or navigated frame (senderFrame null)', () => {
    expect(senderInfoFromElectronEvent({ senderFrame: null, sender: { mainFrame: main } }).isTopFrame).toBe(false);
    expect(senderInfoFromElectronEvent({}).isTopFrame).toBe(false);
  });
});
