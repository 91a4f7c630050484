// ESLint rule `proximity/import-boundaries`: a file may import by relative path only from the directories it is
// allowed to depend on. It resolves each relative specifier against the importing file (the same way
// test/unit/architecture/core-has-no-electron.test.ts does) and reports one that lands outside every allowed
// directory. It sees every import form: `import`/`import type`, `export ... from`, `import()`, `require()`,
// `import x = require()` and `typeof import()`. Bare package names (e.g. `electron`) are left to
// `no-restricted-imports` / `no-restricted-syntax`, configured next to this rule in eslint.config.mjs.
//
// Options: { root: absolute repository root, allow: ['src-main/core', ...] (relative to root),
//            because: 'why, shown in the message', forbidComputed: true to also refuse `require(x)`/`import(x)`
//            whose specifier is not a string literal (it cannot be checked) }
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** The string a module-reference node names, or null when it is computed. */
function literalSpecifier(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  if (node.type === 'TSLiteralType') return literalSpecifier(node.literal);
  return null;
}

const isRelative = (spec) => spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec);

/** @type {import('eslint').Rule.RuleModule} */
const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Allow relative imports only from the directories an architecture layer may depend on' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          allow: { type: 'array', items: { type: 'string' }, minItems: 1 },
          because: { type: 'string' },
          forbidComputed: { type: 'boolean' },
        },
        required: ['root', 'allow', 'because'],
        additionalProperties: false,
      },
    ],
    messages: {
      outside: "'{{spec}}' resolves to {{target}}, outside {{allowed}}: {{because}}.",
      computed: 'computed {{kind}} cannot be checked against the architecture rules: {{because}}.',
    },
  },
  create(context) {
    const { root, allow, because, forbidComputed = false } = context.options[0];
    const allowedDirs = allow.map((d) => resolve(root, d));
    const inside = (p) => allowedDirs.some((d) => p === d || p.startsWith(d + sep));
    const fromDir = dirname(context.filename);

    function check(node, sourceNode, kind) {
      const spec = literalSpecifier(sourceNode);
      if (spec === null) {
        if (forbidComputed) context.report({ node, messageId: 'computed', data: { kind, because } });
        return;
      }
      if (!isRelative(spec)) return;
      const target = resolve(fromDir, spec);
      if (inside(target)) return;
      const shown = relative(root, target).split(sep).join('/') || '.';
      context.report({ node: sourceNode ?? node, messageId: 'outside', data: { spec, target: shown, allowed: allow.join(', '), because } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source, 'import'),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, 'export'),
      ExportAllDeclaration: (node) => check(node, node.source, 'export'),
      ImportExpression: (node) => check(node, node.source, 'import()'),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length > 0) {
          check(node, node.arguments[0], 'require()');
        }
      },
      TSImportEqualsDeclaration(node) {
        if (node.moduleReference.type === 'TSExternalModuleReference') check(node, node.moduleReference.expression, 'import = require()');
      },
      TSImportType: (node) => check(node, node.source ?? node.argument, 'import() type'),
    };
  },
};

/** The local plugin registered as `proximity` in eslint.config.mjs. */
export default {
  meta: { name: 'eslint-plugin-proximity' },
  rules: { 'import-boundaries': importBoundaries },
};
