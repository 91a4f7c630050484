import { describe, expect, it } from 'vitest';
import { createLifecycleActions, createNavigationActions } from '../../../src-main/platform/app-actions';
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

describe('lifecycle actions (tray start / stop / restart)', () => {
  it('reach the apps feature, the same core action as the UI', () => {
    const acted: string[] = [];
    const notes: string[] = [];
    const actions = createLifecycleActions(
      { act: (id, action) => (acted.push(`${action} ${id}`), { operationId: 'op-1' }) },
      (title) => void notes.push(title),
      (id) => `App ${id}`,
    );
    actions.startApp('a');
    actions.stopApp('b');
    actions.restartApp('c');
    expect(acted).toEqual(['start a', 'stop b', 'restart c']);
    expect(notes).toEqual([]);
  });

  it('say why in a notification when the action is refused or there is no apps feature', () => {
    const notes: string[] = [];
    const refusing = createLifecycleActions(
      {
        act: () => {
          throw new Error('App a is not deployed yet.');
        },
      },
      (title, body) => void notes.push(`${title}: ${body}`),
      (id) => `App ${id}`,
    );
    refusing.startApp('a');
    createLifecycleActions(undefined, (title, body) => void notes.push(`${title}: ${body}`), (id) => `App ${id}`).stopApp('b');
    expect(notes).toEqual(['Cannot start App a: App a is not deployed yet.', 'Cannot stop App b: Stop is not available: Proximity is not connected to Proxmox.']);
  });
});
