// What Proximity writes onto a container so the cluster itself says which app it is (Proxmox is the source of
// truth): PVE tags carry the facts reconciliation needs from ONE /cluster/resources read (app id, catalog id,
// port pair), the description carries the rest (container port, health path) for a human and for re-adoption.
import { z } from 'zod';
import { catalogIdSchema } from '../catalog/manifest-schema';
import { hostnameLabelSchema } from '../network/strict-values';

export const PROXIMITY_TAG = 'proximity';
const DESCRIPTION_MARK = 'proximity-app: ';

const portSchema = z.number().int().min(1).max(65535);

/** What Proximity needs to reach and recover an app; stored in the app row and on the container. */
export const appSpecSchema = z
  .object({
    v: z.literal(1),
    appId: z.uuid(),
    catalogId: catalogIdSchema,
    catalogVersion: z.string().max(40).optional(),
    hostname: hostnameLabelSchema,
    ports: z.object({ public: portSchema, internal: portSchema }).strict(),
    containerPort: portSchema,
    healthPath: z.string().max(200).regex(/^\/[A-Za-z0-9._~/?=&%+-]*$/),
    mode: z.enum(['appliance', 'fallback']),
    /** the deployment that made it */
    deploymentId: z.uuid().optional(),
    /** access URLs once recorded */
    urls: z
      .object({ mode: z.enum(['appliance', 'fallback']), public: z.string().nullable(), canvas: z.string().nullable(), dns: z.string().nullable(), direct: z.string().nullable() })
      .strict()
      .optional(),
  })
  .strict();
export type AppSpec = z.infer<typeof appSpecSchema>;

/** PVE tags (`;`-joined) of an app's container: `proximity;px-id-<uuid>;px-cat-<catalog id>;px-pub-N;px-int-N`. */
export function tagsFor(spec: AppSpec): string {
  return [PROXIMITY_TAG, `px-id-${spec.appId}`, `px-cat-${spec.catalogId}`, `px-pub-${spec.ports.public}`, `px-int-${spec.ports.internal}`].join(';');
}

/** Facts read back from a guest's tags; null unless it carries Proximity's tag and a complete set. */
export interface TaggedApp {
  appId: string;
  catalogId: string;
  ports: { public: number; internal: number };
}

/** Parses tags as PVE lists them (`;`, `,` or space separated, any order). */
export function parseTags(tags: string | undefined): TaggedApp | null {
  const list = (tags ?? '').split(/[;, ]+/).filter(Boolean);
  if (!list.includes(PROXIMITY_TAG)) return null;
  const value = (prefix: string) => list.find((t) => t.startsWith(prefix))?.slice(prefix.length);
  const appId = z.uuid().safeParse(value('px-id-'));
  const catalogId = catalogIdSchema.safeParse(value('px-cat-'));
  const pub = portSchema.safeParse(Number(value('px-pub-')));
  const internal = portSchema.safeParse(Number(value('px-int-')));
  if (!appId.success || !catalogId.success || !pub.success || !internal.success) return null;
  return { appId: appId.data, catalogId: catalogId.data, ports: { public: pub.data, internal: internal.data } };
}

/** The container description: a line for people, then the spec as one JSON line. */
export function descriptionFor(spec: AppSpec, name: string): string {
  const title = name.replace(/[\r\n]+/g, ' ').slice(0, 200);
  return `Deployed by Proximity: ${title}\nDo not edit the line below; Proximity reads it to recover this app.\n${DESCRIPTION_MARK}${JSON.stringify({ ...spec, urls: undefined })}\n`;
}

/** The spec from a description written by descriptionFor; null when absent or not valid. */
export function parseDescription(description: string | undefined): AppSpec | null {
  const line = (description ?? '').split('\n').find((l) => l.startsWith(DESCRIPTION_MARK));
  if (!line) return null;
  try {
    const r = appSpecSchema.safeParse(JSON.parse(line.slice(DESCRIPTION_MARK.length)));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
