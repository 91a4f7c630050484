import { useEffect } from 'react';
import { Database, Info, Network, RefreshCw } from 'lucide-react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { SecretStorageInfo } from '../../../src-shared/contract/schemas';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { ErrorNotice } from '../../components/error-notice';
import { ScreenHeader } from '../../components/screen-header';
import { SCREEN_INFO } from '../../shell/screen-catalogue';
import { isDisconnected, useConnectionStore } from '../connection/connection-store';
import { Field } from './field';
import { useSystemStore } from './system-store';

/**
 * Overview of this installation: what is running, where its data lives and how healthy the store is. Values
 * that may be out of date (disconnected, or the last reload of that section failed) are marked stale and lose
 * their good/bad colour; everything reloads by itself when the connection comes back.
 */
export function SystemScreen({ api }: { api: DesktopApi }) {
  const { info, status, portRanges, errors, loading, load, applyStatus, applyPortRanges } = useSystemStore();
  const connection = useConnectionStore((s) => s.status);
  const disconnected = isDisconnected(connection);
  const stale = (error: IpcError | undefined, value: unknown) => value !== null && (disconnected || error !== undefined);
  const infoStale = stale(errors.info, info);
  const statusStale = stale(errors.status, status);

  useEffect(() => {
    void load(api); // again after every reconnection (`opens` rises)
  }, [api, load, connection.opens]);
  useEffect(() => api.onDatabaseStatusChanged(applyStatus), [api, applyStatus]);
  useEffect(() => api.onSettingsPortRangesChanged(applyPortRanges), [api, applyPortRanges]);

  return (
    <section className="screen" data-testid="system-screen" aria-busy={loading}>
      <ScreenHeader
        title={SCREEN_INFO.system.title}
        subtitle={SCREEN_INFO.system.subtitle}
        actions={
          <Button icon={<RefreshCw size={15} aria-hidden />} onClick={() => void load(api)} busy={loading} disabled={disconnected} data-testid="system-refresh">
            {loading ? 'Loading…' : 'Refresh'}
          </Button>
        }
      />
      <div className="cards">
        <Card title="Application" icon={<Info size={15} aria-hidden />} stale={infoStale} testId="system-info-card">
          <SectionError error={errors.info} testId="system-info-error" />
          <dl>
            <Field label="Version" testId="system-version" value={info?.version} />
            <Field label="Runtime" testId="system-runtime" value={info?.runtime} />
            <Field label="Platform" testId="system-platform" value={info?.platform} />
            <Field label="Data folder" testId="system-data-dir" value={info?.dataDir} mono />
            <Field
              label="Secret storage"
              testId="system-secret-storage"
              value={info ? describeSecretStorage(info.secretStorage) : undefined}
              tone={info?.secretStorage && !infoStale ? (info.secretStorage.encrypted ? 'good' : 'bad') : undefined}
            />
          </dl>
        </Card>

        <Card title="Database" icon={<Database size={15} aria-hidden />} stale={statusStale} testId="system-status-card">
          <SectionError error={errors.status} testId="system-status-error" />
          <dl>
            <Field label="File" testId="system-db-path" value={status?.path} mono />
            <Field
              label="Schema version"
              testId="system-schema-version"
              value={status ? String(status.schemaVersion) : undefined}
              note={status && status.schemaVersion !== status.latestVersion ? `latest is ${status.latestVersion}` : undefined}
            />
            <Field label="Integrity" testId="system-integrity" value={status?.integrity} tone={status && !statusStale ? (status.integrity === 'ok' ? 'good' : 'bad') : undefined} />
            <Field label="Journal mode" testId="system-journal-mode" value={status?.journalMode} />
            <Field label="Foreign keys" testId="system-foreign-keys" value={status ? (status.foreignKeys ? 'on' : 'off') : undefined} />
            <Field label="Size" testId="system-db-size" value={status ? formatBytes(status.sizeBytes) : undefined} />
          </dl>
        </Card>

        <Card title="Port ranges" icon={<Network size={15} aria-hidden />} stale={stale(errors.portRanges, portRanges)} testId="system-ports-card">
          <SectionError error={errors.portRanges} testId="system-ports-error" />
          <dl>
            <Field label="Public" testId="system-public-range" value={portRanges ? `${portRanges.public.start}–${portRanges.public.end}` : undefined} />
            <Field label="Internal (canvas)" testId="system-internal-range" value={portRanges ? `${portRanges.internal.start}–${portRanges.internal.end}` : undefined} />
          </dl>
        </Card>
      </div>
    </section>
  );
}

/** A section's own failure. A lost connection is not repeated here: the connection banner says it once. */
function SectionError({ error, testId }: { error: IpcError | undefined; testId: string }) {
  if (!error || error.code === 'BRIDGE_UNAVAILABLE') return null;
  return <ErrorNotice error={error} testId={testId} />;
}

function describeSecretStorage(s: SecretStorageInfo | null): string {
  if (!s) return 'none (this runtime keeps no secrets)';
  return `${s.backend}, ${s.encrypted ? 'encrypted' : 'NOT encrypted'}`;
}

/** Bytes as B / KiB / MiB with one decimal. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}
