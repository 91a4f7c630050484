// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';

type Listener = () => void;
/** The OS colour scheme, as matchMedia reports it (happy-dom has no OS to ask). */
function fakeOsScheme(dark: boolean) {
  const listeners = new Set<Listener>();
  const media = { get matches() { return dark; }, addEventListener: (_: string, l: Listener) => listeners.add(l), removeEventListener: (_: string, l: Listener) => listeners.delete(l) };
  vi.stubGlobal('matchMedia', () => media);
  return { set: (next: boolean) => ((dark = next), listeners.forEach((l) => l())), listeners };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  localStorage.clear();
});

describe('theme store', () => {
  it('follows the OS by default, live, and paints <html data-theme>', async () => {
    const os = fakeOsScheme(true);
    const { applyThemeToDocument, useThemeStore } = await import('../../../src-renderer/components/theme/theme-store');
    const stop = applyThemeToDocument();
    expect(useThemeStore.getState()).toMatchObject({ preference: 'system', theme: 'dark' });
    expect(document.documentElement.dataset.theme).toBe('dark');
    os.set(false);
    expect(document.documentElement.dataset.theme).toBe('light');
    stop();
    expect(os.listeners.size).toBe(0);
  });

  it('an explicit choice wins over the OS and is remembered in localStorage for the next start', async () => {
    const os = fakeOsScheme(false);
    let mod = await import('../../../src-renderer/components/theme/theme-store');
    const stop = mod.applyThemeToDocument();
    mod.useThemeStore.getState().setPreference('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    os.set(false);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(mod.THEME_STORAGE_KEY)).toBe('dark');
    stop();
    vi.resetModules(); // a new window
    mod = await import('../../../src-renderer/components/theme/theme-store');
    expect(mod.useThemeStore.getState()).toMatchObject({ preference: 'dark', theme: 'dark' });
  });

  it('ignores a corrupt saved value', async () => {
    fakeOsScheme(false);
    localStorage.setItem('proximity.theme', 'purple');
    const { useThemeStore } = await import('../../../src-renderer/components/theme/theme-store');
    expect(useThemeStore.getState()).toMatchObject({ preference: 'system', theme: 'light' });
  });
});
