import type { CoreContext } from '../../../src-main/core/core-context';
import type { AppStatus } from '../../../src-shared/contract/schemas';

const NAMES = ['Nextcloud', 'Gitea', 'Vaultwarden', 'Jellyfin', 'Uptime Kuma', 'Paperless', 'Home Assistant', 'Grafana', 'Miniflux', 'Immich', 'Syncthing', 'Who am I'];
const STATUSES: AppStatus[] = ['running', 'running', 'stopped', 'deploying', 'failed', 'missing', 'running', 'pending'];

/**
 * Fills a real core with what the screens show: apps in every common status with their ports (through the real
 * repository and allocator, so audit rows are real too) and a few settings changes.
 */
export function seedCore(core: CoreContext, count = NAMES.length): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = NAMES[i % NAMES.length] + (i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : '');
    const hostname = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const app = core.apps.insert({ catalogId: hostname.split('-')[0], name, hostname, node: i % 3 === 2 ? 'pve2' : 'pve1', vmid: 200 + i });
    core.ports.allocate(app.id);
    const status = STATUSES[i % STATUSES.length];
    if (status !== 'pending') core.apps.updateStatus(app.id, status);
    ids.push(app.id);
  }
  return ids;
}
