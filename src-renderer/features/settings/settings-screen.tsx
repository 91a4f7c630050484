import { Network, Palette, SlidersHorizontal } from 'lucide-react';
import { useEffect } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { Card } from '../../components/card';
import { ErrorNotice } from '../../components/error-notice';
import { ScreenHeader } from '../../components/screen-header';
import { Skeleton } from '../../components/skeleton';
import { ThemeSwitch } from '../../components/theme/theme-switch';
import { SCREEN_INFO } from '../../shell/screen-catalogue';
import { useConnectionStore } from '../connection/connection-store';
import { PortRangesForm } from './port-ranges-form';
import { useSettingsStore } from './settings-store';

/** Settings that arrive with the Proxmox, network and deploy layers (expected channels `settings.get`/`settings.set`). */
const LATER = [
  ['Appliance subnet', 'The private network the appliance hands out to apps.'],
  ['Appliance VMID', 'The container id the network appliance uses.'],
  ['Deploy concurrency', 'How many deployments run at once.'],
  ['Health interval and auto-restart', 'How often apps are checked, and whether a stopped app is restarted.'],
  ['Catalog import', 'Add apps from a catalog file of your own.'],
] as const;

/** Settings: port ranges (saved through the contract), theme, and what arrives later. */
export function SettingsScreen({ api }: { api: DesktopApi }) {
  const { portRanges, loadError, load } = useSettingsStore();
  const opens = useConnectionStore((s) => s.status.opens);
  useEffect(() => {
    void load(api);
  }, [api, load, opens]);

  return (
    <section className="screen" data-testid="settings-screen">
      <ScreenHeader title={SCREEN_INFO.settings.title} subtitle={SCREEN_INFO.settings.subtitle} />
      <div className="stack">
        <Card title="Port ranges" icon={<Network size={15} aria-hidden />} testId="settings-ports-card">
          <p className="muted form-intro">
            Every app gets one public port (what you open in a browser) and one internal port (its canvas inside Proximity). The two ranges must not overlap.
          </p>
          {loadError && loadError.code !== 'BRIDGE_UNAVAILABLE' && <ErrorNotice error={loadError} testId="settings-load-error" />}
          {portRanges ? <PortRangesForm api={api} /> : !loadError && <Skeleton size="lg" />}
        </Card>
        <Card title="Appearance" icon={<Palette size={15} aria-hidden />} testId="settings-theme-card">
          <div className="setting-row">
            <div>
              <div className="field-label">Theme</div>
              <p className="muted">Follows your system unless you pick one. Saved on this computer.</p>
            </div>
            <ThemeSwitch showLabels />
          </div>
        </Card>
        <Card title="Network and deployment" icon={<SlidersHorizontal size={15} aria-hidden />} testId="settings-later-card">
          <ul className="later-list">
            {LATER.map(([name, what]) => (
              <li key={name}>
                <span className="field-label">{name}</span>
                <span className="muted">{what}</span>
                <span className="badge">Not connected yet</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </section>
  );
}
