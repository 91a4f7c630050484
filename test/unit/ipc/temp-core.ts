import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../../../src-main/core/core-context';
import type { CoreContext } from '../../../src-main/core/core-context';

/** A real core on a fresh SQLite file in a temp folder; `dispose()` closes it and removes the folder. */
export function openTempCore(): { core: CoreContext; dispose(): void } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-ipc-'));
  const core = openCore({ dataDir, appVersion: '9.8.7-test' });
  return {
    core,
    dispose: () => {
      core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
