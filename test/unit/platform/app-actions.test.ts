import { describe, expect, it } from 'vitest';
import { createNavigationActions } from '../../../src-main/platform/app-actions';
import type { Navigation } from '../../../src-shared/contract/schemas';

describe('navigation actions (tray entries that lead to a screen)', () => {
  it('publish where to go, then open the window with that navigation', () => {
    const calls: string[] = [];
    const nav = createNavigationActions(
      (n) => void calls.push(`publish ${JSON.stringify(n)}`),
      (n) => void calls.push(`open ${JSON.stringify(n)}`),
    );
    nav.deployApp();
    nav.openCanvas('app-7');
    nav.showInfrastructure();
    expect(calls).toEqual([
      'publish {"view":"deploy"}',
      'open {"view":"deploy"}',
      'publish {"view":"canvas","appId":"app-7"}',
      'open {"view":"canvas","appId":"app-7"}',
      'publish {"view":"infrastructure"}',
      'open {"view":"infrastructure"}',
    ]);
  });

  it('still bring the window up (and log) when publishing fails', () => {
    const opened: Navigation[] = [];
    const logs: string[] = [];
    const nav = createNavigationActions(
      () => {
        throw new Error('event ui.navigate payload breaks the contract');
      },
      (n) => void opened.push(n),
      (line) => void logs.push(line),
    );
    expect(() => nav.openCanvas('')).not.toThrow();
    expect(opened).toEqual([{ view: 'canvas', appId: '' }]);
    expect(logs).toEqual([expect.stringContaining('breaks the contract')]);
  });
});
