// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../../src-shared/contract/schemas';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { ActivityScreen } from '../../../src-renderer/features/activity/activity-screen';
import { AUDIT_PAGE, useActivityStore } from '../../../src-renderer/features/activity/activity-store';
import { auditToCsv, auditToJson, exportFileName } from '../../../src-renderer/features/activity/audit-export';
import { NO_AUDIT_FILTER } from '../../../src-renderer/features/activity/audit-filters';
import { addApps, openRealDesktopApi, type RealDesktopApi } from './real-desktop-api';

let real: RealDesktopApi;
beforeEach(() => {
  useActivityStore.setState({ entries: [], loading: false, loaded: false, hasMore: false, error: null, filter: NO_AUDIT_FILTER });
  real = openRealDesktopApi();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  real.dispose();
});

function show() {
  render(
    <TooltipProvider>
      <ActivityScreen api={real.api} />
    </TooltipProvider>,
  );
}
const bodyRows = () => within(screen.getByTestId('activity-table')).getAllByRole('row').slice(1) as HTMLTableRowElement[];

describe('Activity screen on the real audit log', () => {
  it('lists entries newest first and filters by action and text', async () => {
    addApps(real.core, ['Nextcloud', 'Gitea']); // two ports.allocate rows
    real.core.settings.setPortRanges({ public: { start: 30000, end: 31999 } }, 'operator');
    show();
    await screen.findByTestId('activity-table');
    const actions = bodyRows().map((r) => r.cells[2].textContent);
    expect(actions[0]).toBe('settings.set');
    expect(actions.filter((a) => a === 'ports.allocate')).toHaveLength(2);
    fireEvent.change(screen.getByTestId('activity-action-filter'), { target: { value: 'ports.allocate' } });
    await waitFor(() => expect(bodyRows()).toHaveLength(2));
    fireEvent.change(screen.getByTestId('activity-search'), { target: { value: '30001' } });
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    expect(screen.getByTestId('activity-count').textContent).toMatch(/^1 of \d+ entries$/);
    fireEvent.change(screen.getByTestId('activity-action-filter'), { target: { value: 'all' } });
    fireEvent.change(screen.getByTestId('activity-actor-filter'), { target: { value: 'operator' } });
    fireEvent.change(screen.getByTestId('activity-search'), { target: { value: '' } });
    await waitFor(() => expect(bodyRows().map((r) => r.cells[1].textContent)).toEqual(['operator']));
  });

  it('pages backwards with "Load older entries"', async () => {
    const names = Array.from({ length: AUDIT_PAGE + 5 }, (_, i) => `App ${i}`);
    addApps(real.core, names);
    show();
    await screen.findByTestId('activity-table');
    const before = useActivityStore.getState().entries.length;
    expect(before).toBe(AUDIT_PAGE);
    fireEvent.click(screen.getByTestId('activity-more'));
    await waitFor(() => expect(useActivityStore.getState().entries.length).toBeGreaterThan(before));
    const ids = useActivityStore.getState().entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('exports what is shown as a CSV or JSON download made in the renderer', async () => {
    addApps(real.core, ['Nextcloud']);
    const blobs: Blob[] = [];
    const names: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:test'));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    show();
    await screen.findByTestId('activity-table');
    fireEvent.click(screen.getByTestId('activity-export-csv'));
    await waitFor(() => expect(names).toHaveLength(1));
    fireEvent.click(screen.getByTestId('activity-export-json'));
    await waitFor(() => expect(names).toHaveLength(2));
    expect(names[0]).toMatch(/^proximity-activity-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.csv$/);
    expect(names[1]).toMatch(/\.json$/);
    const csv = Papa.parse<string[]>(await blobs[0].text()).data;
    expect(csv[0]).toEqual(['id', 'at', 'actor', 'action', 'target', 'details']);
    expect(csv[1][3]).toBe('ports.allocate');
    expect(JSON.parse(await blobs[1].text())).toEqual(useActivityStore.getState().entries);
  });
});

describe('audit export formats', () => {
  const tricky: AuditEntry[] = [
    { id: 2, at: '2026-11-30T07:00:00.000Z', actor: 'op, "admin"', action: 'apps.delete', target: null, details: { note: 'line 1\nline 2' } },
    { id: 1, at: '2026-11-30T06:00:00.000Z', actor: 'system', action: 'settings.set', target: 'ports', details: null },
  ];
  it('CSV quotes commas, quotes and newlines so every value round-trips', async () => {
    const rows = Papa.parse<string[]>(await auditToCsv(tricky)).data;
    expect(rows[1]).toEqual(['2', '2026-11-30T07:00:00.000Z', 'op, "admin"', 'apps.delete', '', '{"note":"line 1\\nline 2"}']);
    expect(rows[2]).toEqual(['1', '2026-11-30T06:00:00.000Z', 'system', 'settings.set', 'ports', '']);
  });
  it('JSON keeps the entries as main sent them; file names sort by time', () => {
    expect(JSON.parse(auditToJson(tricky))).toEqual(tricky);
    expect(exportFileName('csv', new Date('2026-11-30T07:08:09Z'))).toBe('proximity-activity-2026-11-30T07-08-09.csv');
  });
});
