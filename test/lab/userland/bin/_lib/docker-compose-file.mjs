// Reads a compose file the way `docker compose` does for what the stand-in needs: YAML or JSON, `${VAR}`
// interpolation (environment + .env next to the file), project name, and each service's image, published
// ports (short "8080:80" / "127.0.0.1:8080:80" / "8080:80/tcp" and long {published, target, host_ip}),
// restart policy and a health check URL path.
import path from 'node:path';
import { readText } from './fsroot.mjs';
// Resolved from the repository's node_modules on the host, and from _lib/node_modules (copied there by
// test/lab/userland/prepare-userland.ts) inside containers.
import { parse as parseYaml } from 'yaml';

export class ComposeError extends Error {}

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export function findComposeFile(cwd, files) {
  if (files.length > 0) return files.map((f) => path.resolve(cwd, f));
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    for (const f of DEFAULT_FILES) if (readText(path.join(dir, f)) !== null) return [path.join(dir, f)];
    if (dir === '/' || dir === path.dirname(dir)) break;
  }
  throw new ComposeError('no configuration file provided: not found');
}

function dotenv(dir) {
  const env = {};
  for (const line of (readText(path.join(dir, '.env'), '') ?? '').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

function interpolate(value, env) {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, name, op, arg, bare) => {
      if (all === '$$') return '$';
      const key = name ?? bare;
      const v = env[key];
      if (!op) return v ?? '';
      const unset = op.startsWith(':') ? v === undefined || v === '' : v === undefined;
      if (op.endsWith('-')) return unset ? arg : v;
      if (unset) throw new ComposeError(`required variable ${key} is missing a value: ${arg}`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  return value;
}

export function parsePort(p, service) {
  if (typeof p === 'number') return { target: p, published: null, host_ip: '', protocol: 'tcp' };
  if (p && typeof p === 'object') {
    const target = Number(p.target);
    const published = p.published === undefined || p.published === null || p.published === '' ? null : Number(String(p.published).split('-')[0]);
    if (!Number.isInteger(target)) throw new ComposeError(`service "${service}": invalid port ${JSON.stringify(p)}`);
    return { target, published, host_ip: p.host_ip ?? '', protocol: p.protocol ?? 'tcp' };
  }
  const s = String(p);
  const m = /^(?:(?:\[([0-9a-fA-F:.]+)\]|(\d+\.\d+\.\d+\.\d+)):)?(?:(\d*)(?:-\d+)?:)?(\d+)(?:-\d+)?(?:\/(tcp|udp|sctp))?$/.exec(s);
  if (!m) throw new ComposeError(`service "${service}": invalid port mapping "${s}"`);
  return { target: Number(m[4]), published: m[3] ? Number(m[3]) : null, host_ip: m[1] ?? m[2] ?? '', protocol: m[5] ?? 'tcp' };
}

/** A path from a healthcheck test such as ["CMD", "curl", "-f", "http://localhost:80/healthz"]. */
function healthPath(hc) {
  const test = Array.isArray(hc?.test) ? hc.test.join(' ') : String(hc?.test ?? '');
  const m = /https?:\/\/[^/\s'"]+(\/[^\s'"|;&]*)/.exec(test);
  return m ? m[1] : null;
}

export function loadCompose({ cwd, files, projectName, env = process.env }) {
  const paths = findComposeFile(cwd, files);
  const dir = path.dirname(paths[0]);
  const allEnv = { ...dotenv(dir), ...env };
  const merged = { services: {} };
  for (const file of paths) {
    const text = readText(file);
    if (text === null) throw new ComposeError(`open ${file}: no such file or directory`);
    let doc;
    try {
      doc = parseYaml(text); // YAML is a superset of JSON, so compose.json works too
    } catch (err) {
      throw new ComposeError(`yaml: ${String(err.message).split('\n')[0]}`);
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ComposeError(`${path.basename(file)}: Top-level object must be a mapping`);
    doc = interpolate(doc, allEnv);
    if (doc.name) merged.name = doc.name;
    for (const [k, v] of Object.entries(doc.services ?? {})) merged.services[k] = { ...(merged.services[k] ?? {}), ...(v ?? {}) };
  }
  if (Object.keys(merged.services).length === 0) throw new ComposeError('no service selected');
  const rawName = projectName ?? allEnv.COMPOSE_PROJECT_NAME ?? merged.name ?? path.basename(dir);
  const name = String(rawName).toLowerCase().replace(/[^a-z0-9_-]/g, '');
  if (!name) throw new ComposeError(`project name must not be empty`);
  const services = Object.entries(merged.services).map(([svc, def]) => {
    if (!def.image && !def.build) throw new ComposeError(`service "${svc}" has neither an image nor a build context specified: invalid compose project`);
    return {
      name: svc,
      image: def.image ?? `${name}-${svc}`,
      containerName: def.container_name ?? `${name}-${svc}-1`,
      ports: (def.ports ?? []).map((p) => parsePort(p, svc)),
      restart: def.restart ?? 'no',
      healthPath: healthPath(def.healthcheck),
      environment: def.environment ?? {},
    };
  });
  return { name, file: paths[0], dir, services };
}
