import { create } from 'zustand';

/** What the operator chose: follow the OS, or one theme always. */
export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'proximity.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export interface ThemeState {
  preference: ThemePreference;
  /** The theme in force: the preference, or the OS's when the preference is `system`. */
  theme: Theme;
  /** Saves the choice in localStorage (this profile only) and applies it at once. */
  setPreference(preference: ThemePreference): void;
  /** Re-reads the OS setting (called by the media-query listener). */
  followSystem(): void;
}

function readPreference(): ThemePreference {
  try {
    const saved = globalThis.localStorage?.getItem(THEME_STORAGE_KEY);
    return saved === 'light' || saved === 'dark' || saved === 'system' ? saved : 'system';
  } catch {
    return 'system'; // storage disabled: follow the OS
  }
}

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

function resolve(preference: ThemePreference): Theme {
  return preference === 'system' ? systemTheme() : preference;
}

/** The theme preference (persisted) and the theme in force. */
export const useThemeStore = create<ThemeState>((set, get) => {
  const preference = readPreference();
  return {
    preference,
    theme: resolve(preference),
    setPreference: (next) => {
      try {
        globalThis.localStorage?.setItem(THEME_STORAGE_KEY, next);
      } catch {
        // Not persisted (storage disabled); still applied for this session.
      }
      set({ preference: next, theme: resolve(next) });
    },
    followSystem: () => set({ theme: resolve(get().preference) }),
  };
});

/**
 * Keeps `<html data-theme>` equal to the theme in force and follows OS changes while the preference is
 * `system`. Returns the function that stops both.
 */
export function applyThemeToDocument(root: HTMLElement = document.documentElement): () => void {
  const paint = (theme: Theme) => {
    root.dataset.theme = theme;
  };
  paint(useThemeStore.getState().theme);
  const stopStore = useThemeStore.subscribe((s) => paint(s.theme));
  const media = typeof matchMedia === 'function' ? matchMedia(DARK_QUERY) : null;
  const onChange = () => useThemeStore.getState().followSystem();
  media?.addEventListener('change', onChange);
  return () => {
    stopStore();
    media?.removeEventListener('change', onChange);
  };
}
