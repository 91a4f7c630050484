import { Download, FileJson, History, RefreshCw, Search } from 'lucide-react';
import { useEffect, useMemo } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { AuditEntry } from '../../../src-shared/contract/schemas';
import { Button } from '../../components/button';
import { DataTable, type TableColumn } from '../../components/data-table';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { ScreenHeader } from '../../components/screen-header';
import { SelectField } from '../../components/select-field';
import { Skeleton } from '../../components/skeleton';
import { TextField } from '../../components/text-field';
import { showToast } from '../../components/toast-store';
import { SCREEN_INFO } from '../../shell/screen-catalogue';
import { useAppsStore } from '../apps/apps-store';
import { useConnectionStore } from '../connection/connection-store';
import { useActivityStore } from './activity-store';
import { downloadAudit, type ExportFormat } from './audit-export';
import { detailsText, distinct, filterAudit } from './audit-filters';

/** The table's columns; `appName` shows an app's name where the target is an app id (the id stays as tooltip). */
function columns(appName: (id: string) => string | undefined): TableColumn<AuditEntry>[] {
  return [
    { key: 'at', header: 'When', className: 'mono nowrap', cell: (e) => <time dateTime={e.at}>{formatTime(e.at)}</time> },
    { key: 'actor', header: 'Who', cell: (e) => e.actor },
    { key: 'action', header: 'What', className: 'mono', cell: (e) => e.action },
    { key: 'target', header: 'On', className: 'mono', cell: (e) => (e.target === null ? <span className="muted">—</span> : <span title={e.target}>{appName(e.target) ?? e.target}</span>) },
    { key: 'details', header: 'Details', className: 'mono details-cell', cell: (e) => detailsText(e.details) || <span className="muted">—</span> },
  ];
}

/** The audit log (`audit.list`), filterable, pageable backwards, and exportable as CSV or JSON. */
export function ActivityScreen({ api }: { api: DesktopApi }) {
  const { entries, loading, loaded, hasMore, error, filter, load, loadMore, setFilter } = useActivityStore();
  const opens = useConnectionStore((s) => s.status.opens);
  useEffect(() => {
    void load(api);
  }, [api, load, opens]);
  const visible = useMemo(() => filterAudit(entries, filter), [entries, filter]);
  const actions = useMemo(() => distinct(entries, 'action'), [entries]);
  const actors = useMemo(() => distinct(entries, 'actor'), [entries]);
  const apps = useAppsStore((s) => s.apps);
  const table = useMemo(() => {
    const names = new Map(apps.map((a) => [a.id, a.name]));
    return columns((id) => names.get(id));
  }, [apps]);
  const exportAs = async (format: ExportFormat) => {
    const name = await downloadAudit(visible, format);
    showToast({ tone: 'good', title: `Exported ${visible.length} entries`, description: name });
  };

  return (
    <section className="screen" data-testid="activity-screen" aria-busy={loading}>
      <ScreenHeader
        title={SCREEN_INFO.activity.title}
        subtitle={SCREEN_INFO.activity.subtitle}
        actions={
          <>
            <Button icon={<Download size={15} aria-hidden />} onClick={() => void exportAs('csv')} disabled={visible.length === 0} data-testid="activity-export-csv">
              Export CSV
            </Button>
            <Button icon={<FileJson size={15} aria-hidden />} onClick={() => void exportAs('json')} disabled={visible.length === 0} data-testid="activity-export-json">
              Export JSON
            </Button>
            <Button icon={<RefreshCw size={15} aria-hidden />} onClick={() => void load(api)} busy={loading} data-testid="activity-refresh">
              Refresh
            </Button>
          </>
        }
      />
      {error && error.code !== 'BRIDGE_UNAVAILABLE' && <ErrorNotice error={error} testId="activity-error" />}
      <div className="toolbar" role="search">
        <TextField
          className="toolbar-grow"
          label="Search activity"
          hideLabel
          type="search"
          placeholder="Search actions, targets and details"
          icon={<Search size={15} aria-hidden />}
          value={filter.query}
          onChange={(e) => setFilter({ query: e.target.value })}
          data-testid="activity-search"
        />
        <SelectField label="Action" hideLabel options={[{ value: 'all', label: 'All actions' }, ...actions.map((a) => ({ value: a, label: a }))]} value={filter.action} onValueChange={(v) => setFilter({ action: v })} data-testid="activity-action-filter" />
        <SelectField label="Actor" hideLabel options={[{ value: 'all', label: 'Everyone' }, ...actors.map((a) => ({ value: a, label: a }))]} value={filter.actor} onValueChange={(v) => setFilter({ actor: v })} data-testid="activity-actor-filter" />
      </div>
      {!loaded && !error ? (
        <div className="card">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="skeleton-row" />
          ))}
        </div>
      ) : visible.length === 0 ? (
        <EmptyState icon={<History size={22} />} title={entries.length ? 'No entry matches' : 'Nothing recorded yet'} testId="activity-empty">
          {entries.length ? 'Change the search or the filters.' : 'Every change Proximity makes (settings, deployments, apps) is recorded here.'}
        </EmptyState>
      ) : (
        <>
          <p className="apps-count" data-testid="activity-count">
            {visible.length === entries.length ? `${entries.length} entries` : `${visible.length} of ${entries.length} entries`}
          </p>
          <DataTable caption="Activity" columns={table} rows={visible} rowKey={(e) => e.id} testId="activity-table" />
          {hasMore && (
            <div className="load-more">
              <Button onClick={() => void loadMore(api)} busy={loading} data-testid="activity-more">
                Load older entries
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
