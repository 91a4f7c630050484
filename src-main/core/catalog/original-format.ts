import { z } from 'zod';

/**
 * The catalog format of the original Proximity (fabriziosalmi/proximity, `backend/catalog/apps/*.json`): one JSON
 * file per app with the whole compose document inline, listed by an `index.json`. Read loosely (unknown keys
 * pass) because the importer reports what it drops instead of refusing it.
 */
export const originalAppSchema = z
  .object({
    id: z.string().min(1).max(100),
    name: z.string().min(1).max(100),
    description: z.string().max(2000).default(''),
    version: z.string().max(100).optional(),
    icon: z.string().max(2000).optional(),
    category: z.string().max(100).default('Other'),
    docker_compose: z
      .object({
        services: z.record(z.string(), z.record(z.string(), z.unknown())),
        volumes: z.record(z.string(), z.unknown()).nullish(),
      })
      .passthrough(),
    ports: z.array(z.number().int().min(1).max(65535)).default([]),
    volumes: z.array(z.string()).optional(),
    environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
    min_memory: z.number().positive().default(512),
    min_cpu: z.number().positive().default(1),
    tags: z.array(z.string()).default([]),
    author: z.string().optional(),
    website: z.string().optional(),
  })
  .passthrough();
export type OriginalApp = z.infer<typeof originalAppSchema>;

/** True when parsed JSON looks like an original app file (and not the catalog's `index.json`). */
export function isOriginalAppFile(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && 'docker_compose' in raw;
}

/** One published port of a compose service, in any of compose's short or long syntaxes. */
export interface PublishedPort {
  host: number | null;
  container: number;
  protocol: string;
}

/**
 * Parses a compose port entry: `"C"`, `"H:C"`, `"IP:H:C"`, with an optional `/udp`, a bare number, or the long
 * syntax `{ target, published }`. Ranges and anything else yield null.
 */
export function parsePublishedPort(entry: unknown): PublishedPort | null {
  if (typeof entry === 'number') return Number.isInteger(entry) ? { host: null, container: entry, protocol: 'tcp' } : null;
  if (entry !== null && typeof entry === 'object') {
    const e = entry as { target?: unknown; published?: unknown; protocol?: unknown };
    const container = Number(e.target);
    const host = e.published === undefined ? null : Number(e.published);
    if (!Number.isInteger(container) || (host !== null && !Number.isInteger(host))) return null;
    return { host, container, protocol: typeof e.protocol === 'string' ? e.protocol : 'tcp' };
  }
  if (typeof entry !== 'string') return null;
  const m = /^(?:(?:\[[0-9a-fA-F:]+\]|[0-9]{1,3}(?:\.[0-9]{1,3}){3}):)?(?:([0-9]{1,5}):)?([0-9]{1,5})(?:\/(tcp|udp|sctp))?$/.exec(entry.trim());
  if (!m) return null;
  return { host: m[1] === undefined ? null : Number(m[1]), container: Number(m[2]), protocol: m[3] ?? 'tcp' };
}

/** One volume entry of a compose service: a named volume or a host bind mount. */
export interface VolumeEntry {
  kind: 'named' | 'bind';
  source: string;
  target: string;
  readOnly: boolean;
}

/** Parses a compose volume entry (short `src:dst[:mode]` or long `{ type, source, target }`); null if unreadable. */
export function parseVolumeEntry(entry: unknown): VolumeEntry | null {
  if (entry !== null && typeof entry === 'object') {
    const e = entry as { type?: unknown; source?: unknown; target?: unknown; read_only?: unknown };
    if (typeof e.source !== 'string' || typeof e.target !== 'string') return null;
    return { kind: e.type === 'bind' ? 'bind' : 'named', source: e.source, target: e.target, readOnly: e.read_only === true };
  }
  if (typeof entry !== 'string') return null;
  const parts = entry.split(':');
  if (parts.length < 2 || parts.length > 3) return null;
  const [source, target, mode] = parts;
  const bind = /^[/.~]/.test(source);
  return { kind: bind ? 'bind' : 'named', source, target, readOnly: (mode ?? '').split(',').includes('ro') };
}

/** Host paths whose bind mount only makes sense on the original's Docker host (system files, the Docker socket). */
export function isSystemHostPath(source: string): boolean {
  return /^\/(?:etc|var\/run|run|dev|proc|sys|boot|usr|lib|bin|sbin)(?:\/|$)/.test(source) || source.endsWith('docker.sock');
}

/** Turns text into a kebab id of at most `max` characters (`GITEA__database__PASSWD` -> `gitea-database-passwd`). */
export function toKebab(text: string, max = 40): string {
  const kebab = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return kebab.length >= 2 ? kebab : `${kebab}-x`.slice(0, 2).padEnd(2, 'x');
}
