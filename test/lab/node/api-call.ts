// Calls the emulator's API in-process (as the real CLI tools do) and turns PVE errors into CLI dies with the
// text a real node prints: a handler `die` prints its message; a schema failure prints
// `400 Parameter verification failed.` plus one `param: message` line per error.
import { CliDie, type CliHost } from './cli-types.js';

interface ApiErrorLike {
  status?: number;
  message?: string;
  errors?: Record<string, string>;
}

export function toCliDie(err: unknown, usage?: string): CliDie {
  if (err instanceof CliDie) return err;
  const e = (err ?? {}) as ApiErrorLike;
  const msg = String(e.message ?? err).replace(/\n+$/, '');
  if (e.status === 400 && e.errors && Object.keys(e.errors).length > 0) {
    const lines = Object.entries(e.errors).map(([k, v]) => `${k}: ${String(v).replace(/\n+$/, '')}`);
    return new CliDie(`400 ${msg}\n${lines.join('\n')}\n${usage ? `${usage}\n` : ''}`);
  }
  return new CliDie(`${msg}\n`);
}

export async function api(
  host: CliHost,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  params: Record<string, unknown> = {},
  usage?: string,
): Promise<any> {
  try {
    return await host.callApi(method, path, params);
  } catch (err) {
    throw toCliDie(err, usage);
  }
}

/** Waits for a worker as PVE's CLI does (the worker runs in the foreground); returns its exit status. */
export async function waitUpid(host: CliHost, upid: unknown): Promise<string> {
  if (typeof upid !== 'string' || !upid.startsWith('UPID:')) return 'OK';
  return host.waitTask(upid);
}

/** The task's log lines (without the trailing TASK OK / TASK ERROR line, which callers print themselves). */
export async function taskLog(host: CliHost, upid: string): Promise<string[]> {
  const node = upid.split(':')[1] ?? host.node;
  try {
    const rows = (await host.callApi('GET', `/nodes/${node}/tasks/${upid}/log`, { start: 0, limit: 5000 })) as { n: number; t: string }[];
    return (rows ?? []).map((r) => r.t).filter((t) => !/^TASK (OK|ERROR|WARNINGS)/.test(t) && t !== 'no content');
  } catch {
    return [];
  }
}
