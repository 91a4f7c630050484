/**
 * Finds module specifiers a TypeScript/JavaScript source pulls in: static imports/exports (`import x from`,
 * `import 'x'`, `export * from`), `import type`, dynamic `import('x')` and `require('x')`. Comments are
 * stripped first so a commented-out import does not count. String-literal specifiers only: a computed
 * `require(name)` cannot be checked statically and is reported as '<dynamic>' so a test can refuse it.
 */
export interface ImportRef {
  specifier: string;
  kind: 'static' | 'type' | 'dynamic' | 'require';
}

/**
 * Removes comments and blanks the contents of every string that is not in a specifier position (after `from`,
 * `import`, `require(` or `import(`), so code inside strings or comments is never mistaken for an import.
 */
function normalise(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      const isSpecifier = /(\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*$/.test(out.slice(-40));
      out += isSpecifier ? src.slice(i, j + 1) : c + ' '.repeat(Math.max(0, j - i - 1)) + c;
      i = j + 1;
    } else if (c === '/' && n === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end === -1 ? src.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function findImports(source: string): ImportRef[] {
  const src = normalise(source);
  const refs: ImportRef[] = [];
  const str = `(['"\`])([^'"\`]+)\\1`;
  const patterns: Array<[RegExp, ImportRef['kind'], number]> = [
    [new RegExp(`\\bimport\\s+type\\s[^;]*?\\bfrom\\s*${str}`, 'g'), 'type', 2],
    [new RegExp(`\\b(?:import|export)\\s+(?!type\\s)(?:[^;'"\`]*?\\bfrom\\s*)?${str}`, 'g'), 'static', 2],
    [new RegExp(`(?<![.\\w$])import\\s*\\(\\s*${str}\\s*[,)]`, 'g'), 'dynamic', 2],
    [new RegExp(`(?<![.\\w$])require\\s*\\(\\s*${str}\\s*\\)`, 'g'), 'require', 2],
  ];
  for (const [re, kind, group] of patterns) {
    for (const m of src.matchAll(re)) refs.push({ specifier: m[group], kind });
  }
  // Computed specifiers: require(x), import(x) with a non-literal argument. Not `obj.require(x)` and not a
  // method declaration `require(id: string): T {` (both common in repositories).
  for (const m of src.matchAll(/(?<![.\w$])(require|import)\s*\(\s*(?!['"`])([^)\s][^)]*)\)(?!\s*[:{])/g)) {
    refs.push({ specifier: '<dynamic>', kind: m[1] === 'require' ? 'require' : 'dynamic' });
  }
  return refs;
}

/** True for `electron` and its subpaths (`electron/main`, `electron/renderer`, ...), also via `node:` style. */
export function isElectronSpecifier(specifier: string): boolean {
  return specifier === 'electron' || specifier.startsWith('electron/');
}
