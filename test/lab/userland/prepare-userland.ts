// Containers see only /usr/local/bin (this folder's bin/) of the repository, not its node_modules. The docker
// stand-in parses compose files with the `yaml` package, so the lab copies that package, as installed by npm,
// next to the userland's support code (git-ignored) before containers start. Nothing third-party is committed.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Packages the userland imports by name, resolved inside a container from `bin/_lib/node_modules`. */
const PACKAGES = ['yaml'];
const NODE = '/usr/bin/node';

export function prepareUserland(binDir: string): void {
  const libDir = path.join(binDir, '_lib');
  if (!fs.existsSync(libDir)) return; // a test's own minimal userland
  // The userland's scripts exec /usr/bin/node inside containers, which see the host's /usr only (and the
  // userland in place of /usr/local/bin): a Node installed elsewhere would make every tool fail obscurely.
  const node = fs.existsSync(NODE) ? fs.realpathSync(NODE) : null;
  if (!node || !node.startsWith('/usr/') || node.startsWith('/usr/local/')) {
    throw new Error(`the lab userland needs Node.js installed under /usr (${NODE}; e.g. the nodejs .deb), found ${node ?? 'nothing'}`);
  }
  for (const name of PACKAGES) {
    const source = path.dirname(require.resolve(`${name}/package.json`));
    const target = path.join(libDir, 'node_modules', name);
    const wanted = fs.readFileSync(path.join(source, 'package.json'), 'utf8');
    const present = () => {
      const file = path.join(target, 'package.json');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    };
    if (present() === wanted) continue;
    // Copy into a sibling and rename, so a lab starting in parallel never sees a half-copied package.
    const staging = `${target}.${process.pid}.tmp`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(source, staging, { recursive: true, dereference: true });
    // Labs starting together (parallel test files on a fresh checkout) all copy: the first one's copy stays,
    // so a container already using it never sees the package vanish while a later lab swaps in its own.
    if (present() === wanted) {
      fs.rmSync(staging, { recursive: true, force: true });
      continue;
    }
    fs.rmSync(target, { recursive: true, force: true });
    try {
      fs.renameSync(staging, target);
    } catch (e) {
      fs.rmSync(staging, { recursive: true, force: true });
      if (!fs.existsSync(path.join(target, 'package.json'))) throw e; // another lab won the race: fine
    }
  }
}
