// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TooltipProvider } from '../../../src-renderer/components/tooltip';
import { SettingsScreen } from '../../../src-renderer/features/settings/settings-screen';
import { followPortRanges, useSettingsStore } from '../../../src-renderer/features/settings/settings-store';
import { addApps, openRealDesktopApi, type RealDesktopApi } from './real-desktop-api';

let real: RealDesktopApi;
beforeEach(() => {
  useSettingsStore.setState({ portRanges: null, loadError: null, saving: false, saveError: null, savedAt: null });
  real = openRealDesktopApi();
});
afterEach(() => {
  cleanup();
  real.dispose();
});

function show() {
  const stop = followPortRanges(real.api);
  render(
    <TooltipProvider>
      <SettingsScreen api={real.api} />
    </TooltipProvider>,
  );
  return stop;
}
const input = (key: string) => screen.getByTestId(`port-${key}`) as HTMLInputElement;
const type = (key: string, value: string) => fireEvent.change(input(key), { target: { value } });
const errorOf = (key: string) => {
  const id = input(key).getAttribute('aria-describedby');
  return id ? document.getElementById(id.split(' ').pop()!)?.textContent ?? null : null;
};
const save = () => screen.getByTestId('port-ranges-save') as HTMLButtonElement;

describe('Settings: port ranges', () => {
  it('shows the saved ranges and checks edits as you type', async () => {
    const stop = show();
    await waitFor(() => expect(input('publicStart').value).toBe('30000'));
    expect(input('internalEnd').value).toBe('40999');
    expect(save().disabled).toBe(true); // nothing changed yet

    type('publicStart', '80');
    expect(input('publicStart').getAttribute('aria-invalid')).toBe('true');
    expect(errorOf('publicStart')).toContain('Between 1024 and 65535');
    expect(save().disabled).toBe(true);
    type('publicStart', 'abc');
    expect(errorOf('publicStart')).toBe('A whole number.');
    type('publicStart', '31000');
    type('publicEnd', '30500');
    expect(errorOf('publicEnd')).toBe('Must not be below the start.');
    type('publicStart', '30000');
    type('publicEnd', '40500');
    expect(errorOf('internalStart')).toBe('The internal range overlaps the public range.');
    type('publicEnd', '31999');
    expect(input('publicStart').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByTestId('port-ranges-capacity').textContent).toMatch(/Room for 1,?000 apps/);
    expect(save().disabled).toBe(false);

    fireEvent.click(save());
    await screen.findByTestId('port-ranges-saved');
    expect(real.core.settings.getPortRanges().public).toEqual({ start: 30000, end: 31999 });
    // Main announced the change; a later change elsewhere (tray, another window) shows up in the form too.
    real.core.settings.setPortRanges({ public: { start: 30000, end: 32999 } });
    await waitFor(() => expect(input('publicEnd').value).toBe('32999'));
    stop();
  });

  it("shows main's refusal with its code and what to do next (an app still holds a port outside the new range)", async () => {
    addApps(real.core, ['Nextcloud']); // holds 30000 / 40000
    const stop = show();
    await waitFor(() => expect(input('publicStart').value).toBe('30000'));
    type('publicStart', '30100');
    fireEvent.click(save());
    const notice = await screen.findByTestId('port-ranges-save-error');
    expect(notice.dataset.errorCode).toBe('CONFLICT');
    expect(notice.textContent).toContain('Something else changed it'); // the advice for CONFLICT
    expect(notice.textContent).toContain('30000');
    expect(real.core.settings.getPortRanges().public.start).toBe(30000);
    stop();
  });
});
