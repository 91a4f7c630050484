import { beforeEach, describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import * as mock from '../../fakes/electron-mock';
import { hardenWebContents } from '../../../src-main/platform/window-security';
import { isExternalWebUrl } from '../../../src-shared/contract/origins';
import { externalUrlSchema } from '../../../src-shared/contract/schemas';
import { denyPermissionsOnEverySession } from '../../../src-main/platform/session-permissions';
import type { App, Session } from 'electron';

const nav = (contents: mock.FakeWebContents, event: string, url: string) => {
  let prevented = false;
  contents.__emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
};

describe('window security', () => {
  beforeEach(() => mock.__reset());

  it('accepts only http(s) external links', () => {
    expect(isExternalWebUrl('https://pve.example.com:8006/')).toBe(true);
    expect(isExternalWebUrl('http://10.20.0.2:30001/')).toBe(true);
    expect(externalUrlSchema.safeParse('https://pve.example.com:8006/').success).toBe(true);
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'app://proximity/index.html', 'smb://host/share', 'data:text/html,x', 'https://user:pw@evil/', 'vbscript:x', '', 'https//missing-colon']) {
      expect(isExternalWebUrl(bad), bad).toBe(false);
      expect(externalUrlSchema.safeParse(bad).success, bad).toBe(false); // the contract uses the same policy
    }
  });

  it('prevents navigation and redirects away from the app origin', () => {
    const wc = new mock.FakeWebContents();
    const log: string[] = [];
    hardenWebContents(wc as unknown as WebContents, { openExternal: () => {}, log: (l) => log.push(l) });
    expect(nav(wc, 'will-navigate', 'app://proximity/index.html#/apps')).toBe(false);
    expect(nav(wc, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(nav(wc, 'will-navigate', 'app://proximity.evil/')).toBe(true);
    expect(nav(wc, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(nav(wc, 'will-redirect', 'http://10.20.0.2:40001/')).toBe(true);
    let webviewBlocked = false;
    wc.__emit('will-attach-webview', { preventDefault: () => (webviewBlocked = true) });
    expect(webviewBlocked).toBe(true);
    expect(log.filter((l) => l.includes('blocked'))).toHaveLength(5);
  });

  it('holds top-frame redirects but leaves a canvas iframe\'s own redirects to the CSP', () => {
    const wc = new mock.FakeWebContents();
    hardenWebContents(wc as unknown as WebContents, { openExternal: () => {} });
    // Electron emits will-redirect for every frame: (details, url, isInPlace, isMainFrame, ...).
    const redirect = (url: string, isMainFrame: boolean) => {
      let prevented = false;
      wc.__emit('will-redirect', { preventDefault: () => (prevented = true), url, isMainFrame }, url, false, isMainFrame);
      return prevented;
    };
    expect(redirect('http://10.20.0.2:40001/user/login', false)).toBe(false); // an app's login redirect in its canvas
    expect(redirect('http://10.20.0.2:40001/user/login', true)).toBe(true); // the app window itself may not go there
    expect(redirect('app://proximity/index.html', true)).toBe(false);
  });

  it('lets the dev server origin through only when asked', () => {
    const wc = new mock.FakeWebContents();
    hardenWebContents(wc as unknown as WebContents, { openExternal: () => {}, allowedOrigins: ['http://localhost:5173'] });
    expect(nav(wc, 'will-navigate', 'http://localhost:5173/#/x')).toBe(false);
    expect(nav(wc, 'will-navigate', 'http://localhost:5174/')).toBe(true);
  });

  it('denies every new window and opens only vetted http(s) links externally', async () => {
    const wc = new mock.FakeWebContents();
    const opened: string[] = [];
    hardenWebContents(wc as unknown as WebContents, { openExternal: (u) => opened.push(u) });
    const open = wc.windowOpenHandler!;
    expect(open({ url: 'https://docs.example.org/guide' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(open({ url: 'app://proximity/index.html' })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(opened).toEqual(['https://docs.example.org/guide']);
  });

  it('denies permissions on the default session and on every session created later', () => {
    denyPermissionsOnEverySession(mock.app as unknown as App, mock.session.defaultSession as unknown as Session);
    const later = mock.session.fromPartition('persist:canvas-1');
    for (const s of [mock.session.defaultSession, later]) {
      const answers: boolean[] = [];
      s.permissionRequestHandler!(null, 'media', (granted: boolean) => answers.push(granted));
      s.permissionRequestHandler!(null, 'notifications', (granted: boolean) => answers.push(granted));
      expect(answers).toEqual([false, false]);
      expect(s.permissionCheckHandler!(null, 'clipboard-read', 'app://proximity')).toBe(false);
      expect(s.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
    }
  });
});
