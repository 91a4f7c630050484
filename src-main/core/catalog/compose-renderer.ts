import { Document } from 'yaml';
import { ProximityError } from '../errors';
import type { ComposeDocument } from './compose-schema';
import type { DeploymentValueName, Manifest, ParameterFill } from './manifest-schema';
import { resolveParameters, type DeploymentSecret, type ParameterInput } from './parameter-values';
import type { RandomIndex } from './secret-generator';

/** What Proximity knows about the deployment and a manifest may ask for (`deploymentValues`). */
export interface DeploymentContext {
  /** The app's public origin, e.g. `http://10.20.0.1:30001` (http or https; no path, credentials or query). */
  publicUrl?: string;
  /** The app's hostname under `.prox.local` (a DNS label). */
  hostname?: string;
}

export interface RenderOptions {
  deployment?: DeploymentContext;
  /** RNG seam for generated secrets (tests); a CSPRNG by default. */
  random?: RandomIndex;
}

/** A rendered stack: the compose YAML to write into the container and the secrets to store encrypted. */
export interface RenderedCompose {
  /** The compose file (YAML, UTF-8), ready for `docker compose up -d`. */
  yaml: string;
  /** The same document as data (what `yaml` serialises). */
  document: Record<string, unknown>;
  /** Secrets of this deployment, to store encrypted and show once. */
  secrets: DeploymentSecret[];
  /** The service and container port Proximity proxies to; published on the same port of the LXC. */
  exposed: { service: string; port: number };
}

/**
 * Escapes compose interpolation: every `$` becomes `$$`, which compose reads back as one literal `$`
 * (compose-spec `spec.md`, "Interpolation"). Applied to every value Proximity inserts, so `${HOME}` typed by an
 * operator reaches the app as the six characters `${HOME}`.
 */
export function escapeComposeInterpolation(value: string): string {
  return value.split('$').join('$$');
}

/**
 * How the compose file is serialised, for every parser compose implementations use (Go YAML in compose v2,
 * PyYAML in v1, both libyaml-derived and partly YAML 1.1): every string value is double-quoted with JSON's
 * escapes (so `no`, `2026-01-01`, `0o17` or `~` stay strings under any YAML version, and a newline is `\n`
 * on the same line, never a folded line break);
 * keys are plain but quoted where YAML 1.1 would read them as another type; no anchors or aliases (each value
 * is written where it belongs); no line folding.
 */
const COMPOSE_DOCUMENT_OPTIONS = { aliasDuplicateObjects: false, version: '1.1' } as const;
const COMPOSE_TO_STRING_OPTIONS = { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', doubleQuotedAsJSON: true } as const;

/** Strict forms of the deployment values; anything else is refused rather than inserted. */
const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An http(s) origin: scheme, a DNS name, IPv4 or bracketed IPv6 address, and an optional port; nothing else. */
const PUBLIC_ORIGIN = /^(https?):\/\/((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::([0-9]{1,5}))?\/?$/;

function deploymentValue(name: DeploymentValueName, ctx: DeploymentContext | undefined): string {
  if (name === 'hostname') {
    const hostname = ctx?.hostname;
    if (hostname === undefined || !HOSTNAME.test(hostname)) {
      throw new ProximityError('CATALOG_PARAMETER_INVALID', `The deployment's hostname is missing or not a DNS label: ${JSON.stringify(hostname)}`);
    }
    return hostname;
  }
  const raw = ctx?.publicUrl;
  const m = raw === undefined ? null : PUBLIC_ORIGIN.exec(raw);
  if (!m || (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535))) {
    throw new ProximityError(
      'CATALOG_PARAMETER_INVALID',
      `The deployment's public URL is missing or not a plain http(s) origin such as http://10.20.0.1:30001: ${JSON.stringify(raw)}`,
    );
  }
  const host = m[3] === undefined ? m[2] : `${m[2]}:${m[3]}`;
  return name === 'public-host' ? host : `${m[1]}://${host}`;
}

/**
 * Renders a manifest's compose document for one deployment. Parameter values are inserted as data (YAML
 * scalars serialised by the `yaml` library, never concatenated into YAML text; see COMPOSE_DOCUMENT_OPTIONS)
 * with `$` escaped as `$$`, so
 * newlines, quotes, `${...}` and YAML syntax arrive in the app's environment exactly as typed. The exposed
 * service gets the only published port (`<port>:<port>/tcp` on the LXC); the project is named after the app;
 * `x-proximity` records the catalog id and version.
 *
 * @param manifest a validated manifest (see validateManifest).
 * @param params operator values by parameter id (defaults fill the rest).
 * @param secrets secrets already stored for this deployment, by parameter id; missing generated ones are made.
 * @throws ProximityError CATALOG_PARAMETER_INVALID when a value is refused (see resolveParameters) or a
 *   deployment value the manifest needs is missing or malformed.
 */
export function renderCompose(
  manifest: Manifest,
  params: ParameterInput,
  secrets: Readonly<Record<string, string>> = {},
  options: RenderOptions = {},
): RenderedCompose {
  const resolved = resolveParameters(manifest, params, secrets, options.random);
  const compose: ComposeDocument = structuredClone(manifest.compose);
  const fill = (f: ParameterFill, value: string) => {
    const service = compose.services[f.service];
    const escaped = escapeComposeInterpolation(value);
    const text = f.template === undefined ? escaped : f.template.split('{value}').join(escaped);
    service.environment = { ...(service.environment ?? {}), [f.env]: text };
  };
  for (const p of manifest.parameters) {
    const value = resolved.values.get(p.id);
    if (value !== undefined) for (const f of p.fills) fill(f, value);
  }
  for (const d of manifest.deploymentValues) {
    const value = deploymentValue(d.value, options.deployment);
    for (const f of d.fills) fill(f, value);
  }

  const services: Record<string, unknown> = {};
  for (const [name, service] of Object.entries(compose.services)) {
    services[name] =
      name === manifest.expose.service
        ? { ...service, ports: [{ target: manifest.expose.port, published: String(manifest.expose.port), protocol: 'tcp' }] }
        : service;
  }
  const document: Record<string, unknown> = { name: manifest.id, services };
  if (compose.volumes) {
    document.volumes = Object.fromEntries(Object.entries(compose.volumes).map(([k, v]) => [k, v ?? {}]));
  }
  document['x-proximity'] = { catalogId: manifest.id, version: manifest.version, format: manifest.format };

  const yaml = new Document(document, COMPOSE_DOCUMENT_OPTIONS).toString(COMPOSE_TO_STRING_OPTIONS);
  return { yaml, document, secrets: resolved.secrets, exposed: { ...manifest.expose } };
}
