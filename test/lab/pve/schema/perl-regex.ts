// Perl regexes as they appear in the dumped schema (`pattern`), converted to JavaScript.
// The dump stringifies qr// objects, so patterns contain `(?^:...)` and `(?^i:...)` groups. JavaScript (Node 20)
// has no inline modifiers, so a case-insensitive group is rewritten with both cases spelled out. Perl >= 5.34
// reads `{,n}` as `{0,n}` (PVE 8 ships Perl 5.36); JavaScript would read it literally, so it is rewritten too.

const cache = new Map<string, RegExp>();

/** PVE checks `$value =~ m/^$pattern$/`: the whole value must match. */
export function anchoredPattern(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${perlToJs(pattern)})$`);
    cache.set(pattern, re);
  }
  return re;
}

export function perlToJs(src: string): string {
  return convert(src, 0, false).out;
}

function swapCase(ch: string): string {
  const lo = ch.toLowerCase();
  return lo === ch ? ch.toUpperCase() : lo;
}

const isLetter = (ch: string): boolean => /[A-Za-z]/.test(ch);

/** Converts from `i` until the `)` closing the current group (or the end); returns the text and the next index. */
function convert(src: string, start: number, caseless: boolean): { out: string; end: number } {
  let out = '';
  let i = start;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\\') {
      out += src.slice(i, i + 2);
      i += 2;
    } else if (ch === '[') {
      const { text, end } = readClass(src, i);
      out += caseless ? caselessClass(text) : text;
      i = end;
    } else if (ch === '(') {
      const m = /^\(\?\^?([a-z]*)(?:-[a-z]*)?:/.exec(src.slice(i));
      if (m) {
        const inner = convert(src, i + m[0].length, caseless || m[1].includes('i'));
        out += `(?:${inner.out})`;
        i = inner.end + 1;
      } else {
        const inner = convert(src, i + 1, caseless);
        out += `(${inner.out})`;
        i = inner.end + 1;
      }
    } else if (ch === ')') {
      return { out, end: i };
    } else if (ch === '{' && /^\{,\d+\}/.test(src.slice(i))) {
      out += '{0,';
      i += 2;
    } else {
      out += caseless && isLetter(ch) ? `[${ch}${swapCase(ch)}]` : ch;
      i += 1;
    }
  }
  return { out, end: i };
}

function readClass(src: string, start: number): { text: string; end: number } {
  let i = start + 1;
  if (src[i] === '^') i++;
  if (src[i] === ']') i++; // a leading ] is literal
  while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
  return { text: src.slice(start, i + 1), end: i + 1 };
}

/** `[a-z0-9_]` -> `[a-z0-9_A-Z]`: append the other case of every unescaped letter (ranges swap as a whole). */
function caselessClass(text: string): string {
  const negated = text[1] === '^';
  const body = text.slice(negated ? 2 : 1, -1);
  let extra = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      i++;
      continue;
    }
    if (isLetter(body[i])) extra += swapCase(body[i]);
    else if (body[i] === '-' && extra && i + 1 < body.length && isLetter(body[i + 1])) extra += '-';
  }
  return `[${negated ? '^' : ''}${body}${extra}]`;
}
