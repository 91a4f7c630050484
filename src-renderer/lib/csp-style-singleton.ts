import { useEffect, type FC } from 'react';

/**
 * A drop-in for `react-style-singleton` (aliased in electron.vite.config.ts), which Radix Dialog reaches through
 * react-remove-scroll to lock page scroll. The original appends a <style> element, which our CSP
 * (`style-src 'self'`, no 'unsafe-inline') refuses with a console error; this adopts a constructable
 * stylesheet instead, which is CSSOM and allowed by the CSP. Same API and reference counting: the styles are
 * added when the first user mounts and removed when the last one unmounts.
 */
export function stylesheetSingleton() {
  let counter = 0;
  let sheet: CSSStyleSheet | null = null;
  return {
    add(style: string): void {
      if (counter === 0 && typeof document !== 'undefined' && 'adoptedStyleSheets' in document) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(style);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      counter++;
    },
    remove(): void {
      counter--;
      if (counter === 0 && sheet) {
        const gone = sheet;
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== gone);
        sheet = null;
      }
    },
  };
}

/** Hook form: `useStyle(css)` adds the styles while the calling component is mounted. */
export function styleHookSingleton() {
  const sheet = stylesheetSingleton();
  return (styles: string, isDynamic?: boolean): void => {
    useEffect(() => {
      sheet.add(styles);
      return () => sheet.remove();
      // eslint-disable-next-line react-hooks/exhaustive-deps -- same dependency rule as the original
    }, [styles && isDynamic]);
  };
}

/** Component form: `<Sheet styles={css} />` (what react-remove-scroll-bar renders). */
export function styleSingleton(): FC<{ styles: string; dynamic?: boolean }> {
  const useStyle = styleHookSingleton();
  return function Sheet({ styles, dynamic }) {
    useStyle(styles, dynamic);
    return null;
  };
}
