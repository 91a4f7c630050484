import { useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { SelectField } from '../../components/select-field';
import { TextField } from '../../components/text-field';
import { useAppsStore } from '../apps/apps-store';
import { draftFor, validateDeploy, type DeployDraft } from './deploy-form';
import type { CatalogApp, DeployRequest, TargetNode } from './deploy-types';

/**
 * Configure: the hostname (checked as you type, against the apps that exist), the app's parameters as a form,
 * resources with their minimums, and the target node with what it has free.
 */
export function ConfigureStep({ app, nodes, onReview }: { app: CatalogApp; nodes: readonly TargetNode[]; onReview(request: DeployRequest): void }) {
  const apps = useAppsStore((s) => s.apps);
  const [draft, setDraft] = useState<DeployDraft>(() => draftFor(app, nodes));
  const { errors, request } = useMemo(() => validateDeploy(app, nodes, apps, draft), [app, nodes, apps, draft]);
  const node = nodes.find((n) => n.node === draft.node);
  const set = (patch: Partial<DeployDraft>) => setDraft({ ...draft, ...patch });
  return (
    <form
      className="stack"
      noValidate
      data-testid="deploy-configure"
      onSubmit={(e) => {
        e.preventDefault();
        if (request) onReview(request);
      }}
    >
      <TextField label="Hostname" value={draft.hostname} error={errors.hostname} hint="Its DNS name and the container’s hostname." onChange={(e) => set({ hostname: e.target.value })} data-testid="deploy-hostname" spellCheck={false} />
      {app.parameters.length > 0 && (
        <fieldset className="fieldset">
          <legend className="field-label">{app.name} settings</legend>
          <div className="form-grid">
            {app.parameters.map((p) =>
              p.kind === 'choice' ? (
                <SelectField key={p.key} label={p.label} options={(p.choices ?? []).map((c) => ({ value: c, label: c }))} value={draft.params[p.key]} onValueChange={(v) => set({ params: { ...draft.params, [p.key]: v } })} />
              ) : (
                <TextField
                  key={p.key}
                  label={p.required ? p.label : `${p.label} (optional)`}
                  type={p.kind === 'secret' ? 'password' : 'text'}
                  inputMode={p.kind === 'number' ? 'numeric' : undefined}
                  hint={p.hint}
                  value={draft.params[p.key] ?? ''}
                  error={errors.params?.[p.key]}
                  onChange={(e) => set({ params: { ...draft.params, [p.key]: e.target.value } })}
                  data-testid={`deploy-param-${p.key}`}
                />
              ),
            )}
          </div>
        </fieldset>
      )}
      <SelectField
        label="Node"
        options={nodes.map((n) => ({ value: n.node, label: `${n.node} — ${n.freeCores} CPU, ${n.freeMemoryMiB} MiB, ${n.freeDiskGiB} GiB free` }))}
        value={draft.node}
        onValueChange={(v) => set({ node: v })}
        data-testid="deploy-node"
      />
      <div className="form-grid form-grid-3">
        <TextField label="CPU cores" inputMode="numeric" value={draft.cores} error={errors.cores} hint={`Minimum ${app.minCores}${node ? `, ${node.freeCores} free` : ''}`} onChange={(e) => set({ cores: e.target.value })} data-testid="deploy-cores" />
        <TextField label="Memory (MiB)" inputMode="numeric" value={draft.memoryMiB} error={errors.memoryMiB} hint={`Minimum ${app.minMemoryMiB}${node ? `, ${node.freeMemoryMiB} free` : ''}`} onChange={(e) => set({ memoryMiB: e.target.value })} data-testid="deploy-memory" />
        <TextField label="Disk (GiB)" inputMode="numeric" value={draft.diskGiB} error={errors.diskGiB} hint={`Minimum ${app.minDiskGiB}${node ? `, ${node.freeDiskGiB} free` : ''}`} onChange={(e) => set({ diskGiB: e.target.value })} data-testid="deploy-disk" />
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={!request} data-testid="deploy-review">
          Review
        </Button>
      </div>
    </form>
  );
}
