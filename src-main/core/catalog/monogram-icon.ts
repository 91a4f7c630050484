/**
 * Draws a monogram icon (a rounded square with one or two letters) as an inert SVG. Used for apps whose icon
 * would otherwise be fetched, e.g. the original catalog's icon URLs: Proximity bundles icons, never fetches them.
 */

const HEX_COLOR = /^#?([0-9a-fA-F]{6})$/;

/** The one or two letters of a name: initials of its first two words, or its first two letters. */
export function monogramLetters(name: string): string {
  const words = name.replace(/[^\p{L}\p{N} ]+/gu, ' ').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length > 1) return (words[0][0] + words[1][0]).toUpperCase();
  const word = words[0];
  return word.charAt(0).toUpperCase() + word.slice(1, 2).toLowerCase();
}

/** A stable colour for a name (when no brand colour is known): a hue from a simple string hash. */
export function colorForName(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  const hue = h % 360;
  // HSL(hue, 55%, 40%) to hex: dark enough for white letters.
  const s = 0.55;
  const l = 0.4;
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An SVG monogram for `name` on `color` (a `#rrggbb` colour; anything else falls back to
 * {@link colorForName}). 64x64 user units; the letters are XML-escaped.
 */
export function monogramSvg(name: string, color?: string): string {
  const match = color === undefined ? null : HEX_COLOR.exec(color);
  const fill = match ? `#${match[1].toLowerCase()}` : colorForName(name);
  const letters = escapeXml(monogramLetters(name));
  const size = letters.length > 1 ? 26 : 32;
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img">',
    `  <title>${escapeXml(name)}</title>`,
    `  <rect width="64" height="64" rx="14" fill="${fill}"/>`,
    `  <text x="32" y="33" text-anchor="middle" dominant-baseline="central" font-family="Helvetica, Arial, sans-serif" font-size="${size}" font-weight="700" fill="#ffffff">${letters}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
