import { CheckCircle2, Save } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { TextField } from '../../components/text-field';
import { capacityOf, draftOf, validatePortRanges, type PortRangesDraft } from './port-ranges-validation';
import { useSettingsStore } from './settings-store';

const FIELDS: Array<{ key: keyof PortRangesDraft; label: string }> = [
  { key: 'publicStart', label: 'Public range start' },
  { key: 'publicEnd', label: 'Public range end' },
  { key: 'internalStart', label: 'Internal (canvas) range start' },
  { key: 'internalEnd', label: 'Internal (canvas) range end' },
];

/** The port ranges, checked as you type, saved through `settings.setPortRanges` (main checks again). */
export function PortRangesForm({ api }: { api: DesktopApi }) {
  const { portRanges, saving, saveError, savedAt, savePortRanges, clearSaveState } = useSettingsStore();
  // The operator's edit; until there is one (and again after a save) the form shows main's value as events bring it.
  const [edited, setEdited] = useState<PortRangesDraft | null>(null);
  const touched = edited !== null;
  const draft = edited ?? (portRanges ? draftOf(portRanges) : null);
  const { errors, value } = useMemo(() => (draft ? validatePortRanges(draft) : { errors: {}, value: null }), [draft]);
  if (!draft) return null;
  const unchanged = portRanges !== null && JSON.stringify(draftOf(portRanges)) === JSON.stringify(draft);

  return (
    <form
      noValidate
      data-testid="port-ranges-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (value) void savePortRanges(api, value).then((ok) => ok && setEdited(null));
      }}
    >
      <div className="form-grid">
        {FIELDS.map(({ key, label }) => (
          <TextField
            key={key}
            label={label}
            inputMode="numeric"
            value={draft[key]}
            error={touched ? errors[key] : null}
            onChange={(e) => {
              clearSaveState();
              setEdited({ ...draft, [key]: e.target.value });
            }}
            data-testid={`port-${key}`}
          />
        ))}
      </div>
      {saveError && <ErrorNotice error={saveError} testId="port-ranges-save-error" />}
      <div className="form-actions">
        <Button type="submit" variant="primary" icon={<Save size={15} aria-hidden />} busy={saving} disabled={!value || unchanged} data-testid="port-ranges-save">
          Save port ranges
        </Button>
        {value && <span className="muted" data-testid="port-ranges-capacity">Room for {capacityOf(value).toLocaleString()} apps</span>}
        {savedAt && !touched && (
          <span className="good" role="status" data-testid="port-ranges-saved">
            <CheckCircle2 size={14} aria-hidden /> Saved
          </span>
        )}
      </div>
    </form>
  );
}
