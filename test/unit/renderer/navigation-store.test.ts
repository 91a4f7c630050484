import { beforeEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../../src-main/ipc/event-hub';
import { createDesktopApi } from '../../../src-shared/contract/desktop-api';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { Navigation } from '../../../src-shared/contract/schemas';
import { followNavigationEvents, useNavigationStore } from '../../../src-renderer/features/navigation/navigation-store';
import { needsSecretWarning, useSecretStorageStore } from '../../../src-renderer/features/secrets/secret-storage-store';

// The renderer's slices in plain Node (zustand needs no DOM), fed through main's real EventHub.
function apiOver(hub: EventHub, info?: unknown): DesktopApi {
  let n = 0;
  return createDesktopApi({
    invoke: async (channel) => (channel === 'system.getInfo' && info ? { ok: true, value: info } : { ok: false, error: { code: 'INTERNAL', message: 'not in this test' } }),
    subscribe: (event, listener) => hub.subscribe({ id: `test-${n++}`, send: (_e, payload) => listener(payload) }, event),
  });
}
const nav = () => {
  const { screen, appId } = useNavigationStore.getState();
  return { screen, appId };
};

beforeEach(() => {
  useNavigationStore.setState({ screen: 'apps', appId: null });
  useSecretStorageStore.setState({ status: null, acknowledged: false });
});

describe('navigation slice', () => {
  it('starts on the Apps screen and applies ui.navigate events from main, the replayed latest one first', () => {
    const hub = new EventHub();
    hub.publish('ui.navigate', { view: 'infrastructure' }); // sent before the window subscribed
    const stop = followNavigationEvents(apiOver(hub));
    expect(nav()).toEqual({ screen: 'infrastructure', appId: null });
    hub.publish('ui.navigate', { view: 'canvas', appId: 'app-1' });
    expect(nav()).toEqual({ screen: 'canvas', appId: 'app-1' });
    hub.publish('ui.navigate', { view: 'deploy' });
    expect(nav()).toEqual({ screen: 'deploy', appId: null }); // the canvas app is dropped with the canvas
    stop();
    hub.publish('ui.navigate', { view: 'system' });
    expect(nav().screen).toBe('deploy'); // unsubscribed
  });

  it('ignores an unknown view and a canvas without an app instead of showing a broken screen', () => {
    const { navigate } = useNavigationStore.getState();
    navigate({ view: 'deploy' });
    navigate({ view: 'settings' } as unknown as Navigation); // a screen, but not one main may send
    navigate({ view: 'bogus' } as unknown as Navigation);
    navigate({ view: 'canvas' } as Navigation);
    navigate({ view: 'canvas', appId: '' });
    expect(nav()).toEqual({ screen: 'deploy', appId: null });
  });

  it('shows sidebar screens and canvases, and drops the canvas app when leaving it', () => {
    const { show, openCanvas } = useNavigationStore.getState();
    openCanvas('app-7');
    expect(nav()).toEqual({ screen: 'canvas', appId: 'app-7' });
    show('activity');
    expect(nav()).toEqual({ screen: 'activity', appId: null });
    openCanvas('');
    show('canvas' as never);
    expect(nav()).toEqual({ screen: 'activity', appId: null });
  });
});

describe('secret storage slice', () => {
  const base = { name: 'Proximity', version: '1', platform: 'linux', runtime: 'electron', dataDir: '/d' };

  it('asks for acknowledgement of a weak backend, and only of that', async () => {
    const weak = { backend: 'basic_text', encrypted: false, warning: 'No system keyring was found.' };
    await useSecretStorageStore.getState().load(apiOver(new EventHub(), { ...base, secretStorage: weak }));
    expect(useSecretStorageStore.getState().status).toEqual(weak);
    expect(needsSecretWarning(useSecretStorageStore.getState())).toBe(true);
    useSecretStorageStore.getState().acknowledge();
    expect(needsSecretWarning(useSecretStorageStore.getState())).toBe(false);

    expect(needsSecretWarning({ status: { backend: 'gnome_libsecret', encrypted: true, warning: null }, acknowledged: false })).toBe(false);
    expect(needsSecretWarning({ status: null, acknowledged: false })).toBe(false);
  });
});
