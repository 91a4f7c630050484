import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { catalogError, catalogWarning, hasErrors, zodIssuesToCatalogIssues, type CatalogIssue } from './catalog-issue';
import type { CatalogAppReport } from './catalog-folder';
import { FORBIDDEN_SERVICE_KEYS, imageTag } from './compose-schema';
import { findUnescapedDollar, isSecretEnvName } from './manifest-checks';
import { MANIFEST_FORMAT_VERSION, type Manifest, type ManifestInput } from './manifest-schema';
import { validateManifest } from './manifest-validation';
import { monogramSvg } from './monogram-icon';
import {
  isOriginalAppFile,
  isSystemHostPath,
  originalAppSchema,
  parsePublishedPort,
  parseVolumeEntry,
  toKebab,
} from './original-format';

/** One converted app: our manifest (as authored and as validated), a drawn icon, and the findings. */
export interface OriginalImport {
  /** The converted manifest as written to manifest.yaml; null when the file could not be read at all. */
  input: ManifestInput | null;
  /** The validated manifest; null when the conversion has errors. */
  manifest: Manifest | null;
  iconSvg: string;
  issues: CatalogIssue[];
}

/** Ports the LXC itself may use; publishing them would collide. */
const RESERVED_HOST_PORTS: Readonly<Record<number, string>> = { 22: 'SSH' };
/** Service keys carried over unchanged (the manifest schema still checks them). */
const CARRIED_KEYS = ['image', 'command', 'entrypoint', 'depends_on', 'restart', 'healthcheck', 'user', 'working_dir', 'shm_size', 'init', 'tmpfs', 'stop_grace_period'];
/** Keys that make an app impossible to import safely (errors), a subset of FORBIDDEN_SERVICE_KEYS. */
const REFUSED_KEYS = ['privileged', 'network_mode', 'devices', 'cap_add', 'pid', 'ipc', 'build', 'volumes_from'];
const SIMPLE_ICONS = /^https:\/\/cdn\.simpleicons\.org\/[a-z0-9.-]+\/([0-9a-fA-F]{6})$/;

function envToMap(env: unknown): Record<string, string | number | boolean> | null {
  if (env === undefined || env === null) return {};
  if (Array.isArray(env)) {
    const out: Record<string, string> = {};
    for (const item of env) {
      if (typeof item !== 'string') return null;
      const eq = item.indexOf('=');
      out[eq === -1 ? item : item.slice(0, eq)] = eq === -1 ? '' : item.slice(eq + 1);
    }
    return out;
  }
  if (typeof env !== 'object') return null;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(env)) out[k] = v === null ? '' : (v as string | number | boolean);
  return out;
}

/**
 * Converts one app of the original Proximity's catalog (see original-format.ts) to our manifest format, with a
 * warning for everything it changes and an error for what it cannot carry over:
 * - fixed passwords (`POSTGRES_PASSWORD: gitea_password`) become generated password parameters; env vars that
 *   shared one literal share one parameter (so the app and its database still agree);
 * - `latest` or missing image tags are warned about (pin before publishing);
 * - host bind mounts become named volumes, or are dropped for system paths (`/etc/timezone`);
 * - the first of `ports` becomes the exposed port; other published ports are dropped, and those colliding with
 *   a reserved port (22) or with each other are named as collisions;
 * - the icon URL is not fetched: a monogram in the app's brand colour (when the URL names one) is drawn;
 * - privileged mode, host networking, devices, capabilities and builds are refused (errors).
 * Never throws; `source` names the file in messages.
 */
export function importOriginalApp(raw: unknown, source: string): OriginalImport {
  const parsed = originalAppSchema.safeParse(raw);
  if (!parsed.success) return { input: null, manifest: null, iconSvg: '', issues: zodIssuesToCatalogIssues(parsed.error) };
  const app = parsed.data;
  const issues: CatalogIssue[] = [];
  const services: Record<string, Record<string, unknown>> = {};
  const volumes: Record<string, Record<string, never>> = {};
  for (const name of Object.keys(app.docker_compose.volumes ?? {})) volumes[name] = {};
  for (const key of Object.keys(app.docker_compose)) {
    // `version` is obsolete in the Compose specification and dropped silently; anything else is reported.
    if (!['services', 'volumes', 'version'].includes(key)) issues.push(catalogWarning(`docker_compose.${key}`, 'dropped (not part of the catalog format)'));
  }
  const secretGroups = new Map<string, { id: string; env: string; fills: { service: string; env: string }[] }>();
  const operatorEnv = new Map<string, { service: string; env: string }[]>();
  const hostPorts = new Map<number, string>();
  let expose: { service: string; port: number } | null = null;
  const wantedPort = app.ports[0];

  for (const [name, original] of Object.entries(app.docker_compose.services)) {
    const base = `docker_compose.services.${name}`;
    const service: Record<string, unknown> = {};
    for (const key of CARRIED_KEYS) if (key in original) service[key] = original[key];
    const image = typeof original.image === 'string' ? original.image : '';
    const tag = imageTag(image);
    if (image && (tag === null || tag === 'latest')) {
      issues.push(catalogWarning(`${base}.image`, `"${image}" uses the "latest" tag; pin a released version before publishing`));
    }
    for (const key of Object.keys(original)) {
      if (REFUSED_KEYS.includes(key)) issues.push(catalogError(`${base}.${key}`, `cannot be imported: ${FORBIDDEN_SERVICE_KEYS[key]}`));
      else if (!CARRIED_KEYS.includes(key) && !['environment', 'ports', 'volumes'].includes(key)) {
        issues.push(catalogWarning(`${base}.${key}`, 'dropped (not part of the catalog format)'));
      }
    }

    const env = envToMap(original.environment);
    if (env === null) issues.push(catalogError(`${base}.environment`, 'must be a map or a list of "KEY=value"'));
    const literalEnv: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(env ?? {})) {
      if (isSecretEnvName(key) && typeof value === 'string' && value !== '') {
        let group = secretGroups.get(value);
        if (!group) {
          group = { id: toKebab(key), env: key, fills: [] };
          while ([...secretGroups.values()].some((g) => g.id === group!.id)) group.id = toKebab(`${group.id}-${secretGroups.size + 1}`);
          secretGroups.set(value, group);
        }
        group.fills.push({ service: name, env: key });
        issues.push(
          catalogWarning(`${base}.environment.${key}`, `weak default password replaced by a secret generated per deployment (parameter "${group.id}")`),
        );
      } else if (key in app.environment) {
        operatorEnv.set(key, [...(operatorEnv.get(key) ?? []), { service: name, env: key }]);
      } else if (typeof value === 'string' && findUnescapedDollar(value) !== -1) {
        issues.push(catalogWarning(`${base}.environment.${key}`, 'compose interpolation kept as literal text ("$" escaped as "$$")'));
        literalEnv[key] = value.split('$').join('$$');
      } else literalEnv[key] = value;
    }
    if (Object.keys(literalEnv).length > 0) service.environment = literalEnv;

    const ports = Array.isArray(original.ports) ? original.ports : original.ports === undefined ? [] : [original.ports];
    ports.forEach((entry, i) => {
      const port = parsePublishedPort(entry);
      const at = `${base}.ports.${i}`;
      if (!port) return issues.push(catalogWarning(at, `dropped: ${JSON.stringify(entry)} is not a single port mapping`));
      const host = port.host ?? port.container;
      const exposes = !expose && port.container === wantedPort && port.protocol === 'tcp';
      const reserved = RESERVED_HOST_PORTS[host];
      const collidesWith = hostPorts.get(host);
      if (reserved) issues.push(catalogWarning(at, `host port ${host} collides with the container's ${reserved} port; dropped`));
      else if (collidesWith) issues.push(catalogWarning(at, `host port ${host} collides with ${collidesWith}; dropped`));
      hostPorts.set(host, `${name}.ports.${i}`);
      if (exposes) expose = { service: name, port: port.container };
      else if (!reserved && !collidesWith) {
        issues.push(catalogWarning(at, `published port ${host} dropped: Proximity publishes only the exposed port`));
      }
    });

    const mounts: string[] = [];
    (Array.isArray(original.volumes) ? original.volumes : []).forEach((entry, i) => {
      const v = parseVolumeEntry(entry);
      const at = `${base}.volumes.${i}`;
      if (!v) return issues.push(catalogWarning(at, `dropped: ${JSON.stringify(entry)} is not a volume mount`));
      let volumeName = v.source;
      if (v.kind === 'bind') {
        if (isSystemHostPath(v.source)) {
          return issues.push(catalogWarning(at, `host bind mount of ${v.source} dropped (the host's files are not the app's)`));
        }
        volumeName = toKebab(`${name}-${v.target}`, 60);
        issues.push(catalogWarning(at, `host bind mount of ${v.source} replaced by named volume "${volumeName}"`));
      }
      volumes[volumeName] = {};
      mounts.push(`${volumeName}:${v.target}${v.readOnly ? ':ro' : ''}`);
    });
    if (mounts.length > 0) service.volumes = mounts;
    services[name] = service;
  }

  if (!expose) {
    const first = Object.keys(services)[0];
    if (wantedPort === undefined || first === undefined) issues.push(catalogError('ports', 'names no port to expose'));
    else {
      expose = { service: first, port: wantedPort };
      issues.push(catalogWarning('ports.0', `no service publishes ${wantedPort}; exposing it on service "${first}"`));
    }
  }

  const id = toKebab(app.id);
  if (id !== app.id) issues.push(catalogWarning('id', `"${app.id}" renamed to "${id}"`));
  const iconColor = SIMPLE_ICONS.exec(app.icon ?? '')?.[1];
  if (app.icon) issues.push(catalogWarning('icon', 'not fetched (icons are bundled); a monogram was drawn instead'));
  const tags = app.tags.map((t) => toKebab(t, 31)).filter((t, i, all) => all.indexOf(t) === i).slice(0, 12);
  const exposedImage = expose ? String(services[(expose as { service: string }).service]?.image ?? '') : '';
  const parameters: NonNullable<ManifestInput['parameters']> = [];
  for (const [key, fills] of operatorEnv) {
    const value = app.environment[key];
    parameters.push({ id: toKebab(key), label: key, type: 'string', default: value === null ? '' : String(value), required: false, fills });
  }
  for (const group of secretGroups.values()) {
    parameters.push({ id: group.id, label: `${group.env} (generated)`, type: 'password', generate: { length: 32, alphabet: 'alphanumeric' }, fills: group.fills });
  }
  const memoryMin = Math.max(64, Math.round(app.min_memory));
  const cores = Math.max(1, Math.ceil(app.min_cpu));
  const input: ManifestInput = {
    format: MANIFEST_FORMAT_VERSION,
    id,
    name: app.name.slice(0, 60),
    description: (app.description || app.name).slice(0, 300),
    version: imageTag(exposedImage) ?? 'latest',
    category: app.category.replace(/^./, (c) => c.toUpperCase()),
    tags,
    website: app.website ?? '',
    icon: 'icon.svg',
    compose: { services: services as never, ...(Object.keys(volumes).length > 0 ? { volumes } : {}) },
    expose: expose ?? { service: '', port: 0 },
    health: { path: '/' },
    resources: { cores: { default: cores, min: cores }, memory: { default: memoryMin, min: memoryMin }, disk: { default: 8, min: 2 } },
    parameters,
    notes: `Imported from the original Proximity catalog (${path.basename(source)})${app.author ? `; app by ${app.author}` : ''}. Passwords are generated for each deployment and shown once.`,
  };
  const validation = validateManifest(input);
  const converted = validation.issues
    // The `latest` finding is already reported above, at the original file's path.
    .filter((i) => !(i.severity === 'warning' && i.message.includes('is not pinned')))
    .map((i) => ({ ...i, message: `converted manifest: ${i.message}` }));
  const all = [...issues, ...converted];
  return { input, manifest: hasErrors(all) ? null : validation.manifest, iconSvg: monogramSvg(app.name, iconColor), issues: all };
}

/** One file's import with its report line (source = the file). */
export interface OriginalFileImport extends OriginalImport {
  report: CatalogAppReport;
}

/**
 * Imports every app file of a folder in the original format (`*.json` with a `docker_compose` key;
 * `index.json` and other JSON are skipped). Unreadable JSON is an error on that file only. Sorted by file name.
 */
export async function importOriginalFolder(dir: string): Promise<OriginalFileImport[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out: OriginalFileImport[] = [];
  for (const file of files) {
    const full = path.join(dir, file);
    let raw: unknown;
    try {
      if ((await stat(full)).size > 1024 * 1024) throw new Error('is larger than 1 MiB');
      raw = JSON.parse(await readFile(full, 'utf8'));
    } catch (e) {
      const issue = catalogError('', `${file}: ${(e as Error).message}`);
      out.push({ input: null, manifest: null, iconSvg: '', issues: [issue], report: { id: file, source: full, format: 'original', issues: [issue] } });
      continue;
    }
    if (!isOriginalAppFile(raw)) continue;
    const result = importOriginalApp(raw, full);
    const id = result.input?.id ?? file.replace(/\.json$/, '');
    out.push({ ...result, report: { id, source: full, format: 'original', issues: result.issues } });
  }
  return out;
}
