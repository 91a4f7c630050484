import { Boxes, Rocket, Search } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { useDeployStore } from '../deploy/deploy-store';
import { useNavigationStore } from '../navigation/navigation-store';
import { Card } from '../../components/card';
import { EmptyState } from '../../components/empty-state';
import { ScreenHeader } from '../../components/screen-header';
import { SelectField } from '../../components/select-field';
import { TextField } from '../../components/text-field';
import { SCREEN_INFO } from '../../shell/screen-catalogue';
import { prepareDeploy } from './catalog-channels';
import { filterCatalog, loadCatalog, useCatalogStore } from './catalog-store';

/** Browse the catalog (`catalog.list`): search and categories; Deploy reads the app and the targets, then opens the wizard. */
export function CatalogScreen({ api }: { api: DesktopApi }) {
  const { available, entries, query, category, setQuery, setCategory } = useCatalogStore();
  const [error, setError] = useState<IpcError | null>(null);
  const show = useNavigationStore((s) => s.show);
  useEffect(() => {
    void loadCatalog(api).then(setError);
  }, [api]);
  const deploy = async (id: string) => {
    const r = await prepareDeploy(api, id);
    if (!r.ok) return setError(r.error);
    useDeployStore.getState().begin(r.app, r.nodes);
    show('deploy');
  };
  const categories = useMemo(() => [...new Set(entries.map((e) => e.category))].sort(), [entries]);
  const visible = useMemo(() => filterCatalog(entries, query, category), [entries, query, category]);
  return (
    <section className="screen" data-testid="catalog-screen">
      <ScreenHeader title={SCREEN_INFO.catalog.title} subtitle={SCREEN_INFO.catalog.subtitle} />
      {error && <ErrorNotice error={error} testId="catalog-error" />}
      {!available ? (
        <EmptyState icon={<Boxes size={22} />} title="The catalog is loading" testId="catalog-not-connected">
          The built-in catalog of self-hosted apps: pick an app here, configure it, review what will happen, and deploy it.
        </EmptyState>
      ) : (
        <>
          <div className="toolbar" role="search">
            <TextField className="toolbar-grow" label="Search the catalog" hideLabel type="search" placeholder="Search apps" icon={<Search size={15} aria-hidden />} value={query} onChange={(e) => setQuery(e.target.value)} />
            <SelectField label="Category" hideLabel options={[{ value: 'all', label: 'All categories' }, ...categories.map((c) => ({ value: c, label: c }))]} value={category} onValueChange={setCategory} />
          </div>
          <div className="cards">
            {visible.map((e) => (
              <Card key={e.id} title={e.name} testId={`catalog-${e.id}`}>
                <p>{e.description}</p>
                <p className="muted">
                  {e.category} · version {e.version}
                </p>
                <div className="form-actions">
                  <Button variant="primary" size="sm" icon={<Rocket size={14} aria-hidden />} onClick={() => void deploy(e.id)} data-testid={`catalog-deploy-${e.id}`}>
                    Deploy
                  </Button>
                </div>
              </Card>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
