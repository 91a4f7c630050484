// Container templates: the appliance index (`pveam available` = GET /nodes/{node}/aplinfo), the cached-template
// check (`pveam list <storage>` = GET .../storage/{storage}/content?content=vztmpl), and the download (`pveam
// download` = POST /nodes/{node}/aplinfo, task `download`) with progress read from the task log (pve-manager
// API2/Nodes.pm aplinfo -> PVE::Tools::download_file_from_url, whose wget prints `Length: N` and `NN%` lines).
import { z } from 'zod';
import { ProximityError } from '../errors';
import { parseNode } from './nodes';
import type { PveClient } from './pve-client';
import { runTask, upidSchema, type RunTaskOptions, type TaskLogLine, type TaskOutcome } from './tasks';

/** A template file name as aplinfo.dat lists it (`debian-12-standard_12.7-1_amd64.tar.zst`). */
export const TEMPLATE_FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]*\.tar\.(gz|xz|zst)$/;
/** A PVE storage id (pve-storage-id). */
export const STORAGE_ID_RE = /^[a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]$/;

/** One appliance of GET /nodes/{node}/aplinfo (a parsed aplinfo.dat record). */
export const applianceSchema = z.looseObject({
  template: z.string(),
  package: z.string(),
  version: z.string(),
  os: z.string(),
  type: z.string(),
  section: z.string().optional(),
  headline: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  infopage: z.string().optional(),
  sha512sum: z.string().optional(),
  md5sum: z.string().optional(),
  architecture: z.string().optional(),
});
export type Appliance = z.infer<typeof applianceSchema>;

/** GET /nodes/{node}/aplinfo: the templates the node can download (its cached aplinfo index). */
export function listAppliances(client: PveClient, node: string, signal?: AbortSignal): Promise<Appliance[]> {
  return client.get((api) => api.nodes.$(parseNode(node)).aplinfo.$get(), z.array(applianceSchema), { signal });
}

const storageRowSchema = z.object({ storage: z.string(), content: z.string().optional(), enabled: z.coerce.number().optional(), active: z.coerce.number().optional() });
const contentRowSchema = z.object({ volid: z.string(), size: z.coerce.number().optional(), ctime: z.coerce.number().optional(), format: z.string().optional() });

/**
 * The volid of `template` if a storage of the node already holds it (e.g. `local:vztmpl/<file>`), else undefined.
 * Looks in `storages`, or in every enabled storage with `vztmpl` content.
 */
export async function findCachedTemplate(client: PveClient, node: string, template: string, opts: { storages?: string[]; signal?: AbortSignal } = {}): Promise<string | undefined> {
  const n = parseNode(node);
  checkTemplate(template);
  const storages = opts.storages ?? (await client.get((api) => api.nodes.$(n).storage.$get({ content: 'vztmpl', enabled: true }), z.array(storageRowSchema), { signal: opts.signal })).map((s) => s.storage);
  for (const storage of storages) {
    const rows = await client.get((api) => api.nodes.$(n).storage.$(checkStorage(storage)).content.$get({ content: 'vztmpl' }), z.array(contentRowSchema), { signal: opts.signal });
    const hit = rows.find((r) => r.volid === `${storage}:vztmpl/${template}`);
    if (hit) return hit.volid;
  }
  return undefined;
}

/** Progress of a template download, as read from its task log. */
export interface DownloadProgress {
  /** 0..1 when the log has told the size and a percentage yet */
  fraction?: number;
  /** bytes of the whole file, from wget's `Length:` line */
  totalBytes?: number;
  /** the log line this came from */
  line: string;
}

/** Reads wget's progress out of the download task's log lines. */
export function downloadProgressParser(onProgress: (p: DownloadProgress) => void): (lines: TaskLogLine[]) => void {
  let totalBytes: number | undefined;
  return (lines) => {
    for (const { t } of lines) {
      if (/^TASK (OK|ERROR|WARNINGS)/.test(t)) continue;
      const len = /^Length: (\d+)/.exec(t);
      if (len) totalBytes = Number(len[1]);
      const pct = /\s(\d{1,3})%(\s|$)/.exec(t);
      if (pct) onProgress({ fraction: Math.min(1, Number(pct[1]) / 100), totalBytes, line: t });
      else if (/^download of '.*' finished$/.test(t) || /no need to download$/.test(t)) onProgress({ fraction: 1, totalBytes, line: t });
      else onProgress({ totalBytes, line: t });
    }
  };
}

/**
 * Downloads `template` from the appliance index into `storage` (task `download`), reporting progress. Returns the
 * volid (`<storage>:vztmpl/<template>`) and the task's outcome. Throws VALIDATION (names), PVE_API_ERROR (400
 * errors.template "no such template"), PVE_TASK_FAILED (e.g. `checksum mismatch`, with the log).
 */
export async function downloadTemplate(
  client: PveClient,
  node: string,
  storage: string,
  template: string,
  opts: Omit<RunTaskOptions, 'what'> & { onProgress?: (p: DownloadProgress) => void } = {},
): Promise<{ volid: string; outcome: TaskOutcome }> {
  const n = parseNode(node);
  checkTemplate(template);
  checkStorage(storage);
  const progress = opts.onProgress ? downloadProgressParser(opts.onProgress) : undefined;
  const run = await runTask(client, () => client.get((api) => api.nodes.$(n).aplinfo.$post({ storage, template }), upidSchema, { signal: opts.signal }), {
    ...opts,
    what: `download ${template}`,
    onLog: (lines) => {
      opts.onLog?.(lines);
      progress?.(lines);
    },
  });
  if (run.alreadyDone) throw new ProximityError('INTERNAL', 'a download cannot be already done');
  return { volid: `${storage}:vztmpl/${template}`, outcome: run.outcome };
}

/** The cached volid of `template` in `storage`, downloading it first when it is not there. */
export async function ensureTemplate(client: PveClient, node: string, storage: string, template: string, opts: Parameters<typeof downloadTemplate>[4] = {}): Promise<string> {
  const cached = await findCachedTemplate(client, node, template, { storages: [storage], signal: opts.signal });
  if (cached) return cached;
  return (await downloadTemplate(client, node, storage, template, opts)).volid;
}

function checkTemplate(template: string): string {
  if (!TEMPLATE_FILE_RE.test(template)) throw new ProximityError('VALIDATION', `'${template}' is not a template file name such as debian-12-standard_12.7-1_amd64.tar.zst`);
  return template;
}

function checkStorage(storage: string): string {
  if (!STORAGE_ID_RE.test(storage)) throw new ProximityError('VALIDATION', `'${storage}' is not a Proxmox VE storage id`);
  return storage;
}
