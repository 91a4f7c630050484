// `pveam` as on a PVE 8 node (pve-manager PVE/CLI/pveam.pm): `available` and `download` are the aplinfo API,
// `list`/`remove` the storage content API, `update` is CLI-only (refreshes the node's index, see host-failures.ts).
import { api, taskLog, waitUpid } from './api-call.js';
import { paramError, parseArgs } from './cli-args.js';
import { CliDie, Out, type CliHost, type CliResponse } from './cli-types.js';
import { toCliDie } from './api-call.js';

const USAGE: Record<string, string> = {
  update: 'pveam update',
  available: 'pveam available  [OPTIONS]',
  list: 'pveam list <storage>',
  download: 'pveam download <storage> <template>',
  remove: 'pveam remove <template_path>',
};
const SECTIONS = ['system', 'mail', 'turnkeylinux'];

export async function runPveam(host: CliHost, args: string[]): Promise<CliResponse> {
  const [cmd, ...rest] = args;
  const out = new Out();
  if (!cmd || !(cmd in USAGE)) {
    out.warn(cmd ? `ERROR: unknown command 'pveam ${cmd}'` : 'ERROR: no command specified');
    out.warn(`USAGE: pveam <COMMAND> [ARGS] [OPTIONS]\n${Object.values(USAGE).map((u) => `       ${u}`).join('\n')}`);
    return out.done(255);
  }
  try {
    return (await dispatch(host, cmd, rest, out)) ?? out.done(0);
  } catch (err) {
    out.warn(toCliDie(err, USAGE[cmd]).message);
    return out.done(err instanceof CliDie ? err.exitCode : 255);
  }
}

async function dispatch(host: CliHost, cmd: string, args: string[], out: Out): Promise<CliResponse | void> {
  const usage = USAGE[cmd]!;
  const node = host.node;
  switch (cmd) {
    case 'update':
      parseArgs(args, { usage, positional: [], options: [] });
      // pve-manager PVE/CLI/pveam.pm: PVE::APLInfo::update fetches aplinfo.dat from download.proxmox.com
      if (host.updateTemplateIndex && !host.updateTemplateIndex()) throw new CliDie('update failed - see /var/log/pveam.log for details\n');
      out.print('update successful');
      return;
    case 'available': {
      const p = parseArgs(args, { usage, positional: [], options: ['section'] });
      const section = p.options.section as string | undefined;
      if (section !== undefined && !SECTIONS.includes(section)) {
        throw paramError(usage, { section: `value '${section}' does not have a value in the enumeration '${SECTIONS.join(', ')}'` });
      }
      const list = ((await api(host, 'GET', `/nodes/${node}/aplinfo`)) ?? []) as { section?: string; template?: string }[];
      const bySection = new Map<string, Set<string>>();
      for (const r of list) {
        if (!r.section || !r.template) continue;
        if (!bySection.has(r.section)) bySection.set(r.section, new Set());
        bySection.get(r.section)!.add(r.template);
      }
      for (const s of [...bySection.keys()].sort()) {
        if (section && s !== section) continue;
        for (const t of [...bySection.get(s)!].sort()) out.print(`${s.padEnd(15)} ${t}`);
      }
      return;
    }
    case 'list': {
      const p = parseArgs(args, { usage, positional: ['storage'], options: [] });
      const storage = p.positional[0]!;
      await requireTemplateStorage(host, storage);
      const rows = ((await api(host, 'GET', `/nodes/${node}/storage/${storage}/content`, { content: 'vztmpl' })) ?? []) as { volid: string; size?: number }[];
      out.print(`${'NAME'.padEnd(60)} ${'SIZE'.padEnd(6)}`);
      for (const r of rows) out.print(`${r.volid.padEnd(60)} ${`${((r.size ?? 0) / (1024 * 1024)).toFixed(2)}MB`.padEnd(4)}`);
      return;
    }
    case 'download': {
      const p = parseArgs(args, { usage, positional: ['storage', 'template'], options: [] });
      const [storage, template] = p.positional as [string, string];
      const upid = (await api(host, 'POST', `/nodes/${node}/aplinfo`, { storage, template }, usage)) as string;
      const status = await waitUpid(host, upid);
      for (const line of await taskLog(host, upid)) out.print(line);
      if (status === 'OK' || status.startsWith('WARNINGS')) {
        out.print('TASK OK');
        return;
      }
      out.warn(status);
      return out.done(255);
    }
    case 'remove': {
      const p = parseArgs(args, { usage, positional: ['template_path'], options: [] });
      const volid = p.positional[0]!;
      const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(vztmpl\/.+)$/i.exec(volid);
      if (!m) throw new CliDie(`unable to parse volume ID '${volid}'\n`);
      // same as the HTTP layer sees it after decoding the URL: the full volid as the last path part
      const upid = await api(host, 'DELETE', `/nodes/${node}/storage/${m[1]}/content/${volid}`, {}, usage);
      const status = await waitUpid(host, upid);
      if (status !== 'OK' && !status.startsWith('WARNINGS')) throw new CliDie(`${status}\n`);
      return;
    }
  }
}

async function requireTemplateStorage(host: CliHost, storage: string): Promise<void> {
  const list = ((await api(host, 'GET', `/nodes/${host.node}/storage`)) ?? []) as { storage: string; content?: string }[];
  const st = list.find((s) => s.storage === storage);
  if (!st) throw new CliDie(`storage '${storage}' does not exist\n`);
  if (!String(st.content ?? '').split(',').includes('vztmpl')) throw new CliDie('Storage does not support templates!\n');
}
