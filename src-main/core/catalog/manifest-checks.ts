import { catalogError, catalogWarning, type CatalogIssue } from './catalog-issue';
import { FORBIDDEN_SERVICE_KEYS, imageTag } from './compose-schema';
import type { Manifest, Parameter, ParameterFill } from './manifest-schema';

/** Environment names that hold secrets; `_FILE` variants point at a file and are not secrets themselves. */
const SECRET_ENV_NAME = /(?:PASS(?:WORD|WD)?|SECRET|TOKEN|(?:^|_)KEY$|PRIVATE|CREDENTIAL)/i;

/** True when an environment variable named `name` holds a secret value. */
export function isSecretEnvName(name: string): boolean {
  return SECRET_ENV_NAME.test(name) && !/_FILE$/i.test(name);
}

/**
 * Finds a compose interpolation (`$VAR`, `${VAR}`) in a literal string. Literal `$` must be written `$$`
 * (compose-spec `spec.md`, "Interpolation"): a manifest has no `.env` file, so an interpolation would resolve
 * to whatever the container's shell environment holds. Returns the offending index or -1.
 */
export function findUnescapedDollar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    if (text[i + 1] === '$') {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

/**
 * Looks at the raw (unparsed) services for keys the format forbids, so the author sees the reason rather than
 * zod's "unrecognized key". Runs before the schema; returns errors only.
 */
export function checkForbiddenServiceKeys(raw: unknown): CatalogIssue[] {
  const services = (raw as { compose?: { services?: unknown } } | null)?.compose?.services;
  if (services === null || typeof services !== 'object') return [];
  const issues: CatalogIssue[] = [];
  for (const [name, service] of Object.entries(services as Record<string, unknown>)) {
    if (service === null || typeof service !== 'object') continue;
    for (const key of Object.keys(service)) {
      const reason = FORBIDDEN_SERVICE_KEYS[key];
      if (reason) issues.push(catalogError(['compose', 'services', name, key], reason));
    }
  }
  return issues;
}

/** Parameter types whose values cannot contain characters that change a template's meaning. */
function isTemplateSafe(p: Parameter): boolean {
  return (p.type === 'password' && p.generate !== undefined) || p.type === 'number' || p.type === 'boolean' || p.type === 'choice';
}

/**
 * Cross-field rules of a schema-valid manifest: the exposed service and every filled service exist; each
 * compose value is filled once; no literal secret; no compose interpolation in literals; volumes and
 * dependencies are declared; defaults satisfy their own parameter's rules; images are pinned (a warning).
 */
export function checkManifest(m: Manifest): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const services = m.compose.services;
  const declaredVolumes = new Set(Object.keys(m.compose.volumes ?? {}));

  if (!(m.expose.service in services)) {
    issues.push(catalogError('expose.service', `names service "${m.expose.service}", which compose.services does not define`));
  }

  const filledBy = new Map<string, string>();
  const checkFill = (fill: ParameterFill, path: (string | number)[], owner: string) => {
    const service = services[fill.service];
    if (!service) {
      issues.push(catalogError([...path, 'service'], `names service "${fill.service}", which compose.services does not define`));
      return;
    }
    const key = `${fill.service}\u0000${fill.env}`;
    const previous = filledBy.get(key);
    if (previous) issues.push(catalogError(path, `${fill.service}.${fill.env} is already filled by ${previous}`));
    filledBy.set(key, owner);
    if (service.environment && fill.env in service.environment) {
      issues.push(
        catalogError(
          ['compose', 'services', fill.service, 'environment', fill.env],
          `is filled by ${owner}; remove the literal value from the compose document`,
        ),
      );
    }
  };

  m.parameters.forEach((p, i) => {
    p.fills.forEach((fill, j) => {
      checkFill(fill, ['parameters', i, 'fills', j], `parameter "${p.id}"`);
      if (fill.template !== undefined && !isTemplateSafe(p)) {
        issues.push(
          catalogError(
            ['parameters', i, 'fills', j, 'template'],
            'templates are only allowed for generated passwords, numbers, booleans and choices, whose values cannot change the template\'s meaning',
          ),
        );
      }
      if (fill.template !== undefined && findUnescapedDollar(fill.template.replace('{value}', '')) !== -1) {
        issues.push(catalogError(['parameters', i, 'fills', j, 'template'], 'contains a compose interpolation; write a literal "$" as "$$"'));
      }
    });
    issues.push(...checkParameterDefault(p, i));
  });
  m.deploymentValues.forEach((d, i) =>
    d.fills.forEach((fill, j) => checkFill(fill, ['deploymentValues', i, 'fills', j], `deployment value "${d.value}"`)),
  );

  for (const [name, service] of Object.entries(services)) {
    const base = ['compose', 'services', name];
    const tag = imageTag(service.image);
    if (tag === null || tag === 'latest') {
      issues.push(
        catalogWarning([...base, 'image'], `"${service.image}" is not pinned (${tag === null ? 'no tag' : '"latest"'}); pin a released version`),
      );
    }
    for (const [env, value] of Object.entries(service.environment ?? {})) {
      if (isSecretEnvName(env) && typeof value === 'string' && value !== '') {
        issues.push(
          catalogError(
            [...base, 'environment', env],
            'holds a fixed secret; declare a password parameter with `generate` that fills it, so each deployment gets its own',
          ),
        );
      }
    }
    walkStrings(service, [...base], (text, path) => {
      if (findUnescapedDollar(text) !== -1) {
        issues.push(catalogError(path, 'contains a compose interpolation ("$..."); write a literal "$" as "$$"'));
      }
    });
    (service.volumes ?? []).forEach((mount, i) => {
      const volume = mount.split(':')[0];
      if (!declaredVolumes.has(volume)) {
        issues.push(catalogError([...base, 'volumes', i], `uses volume "${volume}", which compose.volumes does not declare`));
      }
    });
    const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
    for (const dep of deps) {
      if (!(dep in services)) issues.push(catalogError([...base, 'depends_on'], `names service "${dep}", which is not defined`));
    }
  }
  return issues;
}

function checkParameterDefault(p: Parameter, i: number): CatalogIssue[] {
  const path = ['parameters', i, 'default'];
  if (p.type === 'choice' && p.default !== undefined && !p.choices.includes(p.default)) {
    return [catalogError(path, `"${p.default}" is not one of the choices`)];
  }
  if (p.type === 'number' && p.default !== undefined) {
    if ((p.min !== undefined && p.default < p.min) || (p.max !== undefined && p.default > p.max)) {
      return [catalogError(path, 'is outside min/max')];
    }
    if (p.integer && !Number.isInteger(p.default)) return [catalogError(path, 'must be an integer')];
  }
  if (p.type === 'string' && p.default !== undefined) {
    if (p.pattern !== undefined && !new RegExp(p.pattern, 'u').test(p.default)) return [catalogError(path, 'does not match pattern')];
    if (p.default.length > p.maxLength) return [catalogError(path, 'is longer than maxLength')];
  }
  return [];
}

function walkStrings(value: unknown, path: (string | number)[], visit: (text: string, path: (string | number)[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
  }
}
