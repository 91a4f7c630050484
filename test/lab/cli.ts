// `npm run lab [-- options]`: starts a lab and prints ONE JSON line describing it, then runs until SIGINT/SIGTERM/SIGHUP.
//   --backend virtual|netns   --nodes N   --task-seconds S   --schema 8.4|9.1   --port P
//   --pve-version X.Y.Z       --fast-401 (no 3 s delay on 401)   --userland-bin-dir DIR (netns)   --verbose
//   --no-ssh (do not start the node's OpenSSH server)   --lock-timeout S (config lock wait, PVE: 10)
import { parseArgs } from 'node:util';
import { startLab } from './lab';

function fail(msg: string): never {
  process.stderr.write(`lab: ${msg}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        backend: { type: 'string', default: 'virtual' },
        nodes: { type: 'string', default: '1' },
        'task-seconds': { type: 'string', default: '1' },
        schema: { type: 'string', default: '8.4' },
        port: { type: 'string' },
        'pve-version': { type: 'string' },
        'fast-401': { type: 'boolean', default: false },
        'userland-bin-dir': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        'no-ssh': { type: 'boolean', default: false },
        'lock-timeout': { type: 'string', default: '10' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  const backend = values.backend;
  if (backend !== 'virtual' && backend !== 'netns') fail(`--backend must be virtual or netns, got '${backend}'`);
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) fail(`--nodes must be 1..16, got '${values.nodes}'`);
  const taskSeconds = Number(values['task-seconds']);
  if (!Number.isFinite(taskSeconds) || taskSeconds < 0 || taskSeconds > 600) fail(`--task-seconds must be 0..600`);
  const schema = values.schema;
  if (schema !== '8.4' && schema !== '9.1') fail(`--schema must be 8.4 or 9.1, got '${schema}'`);
  const lockTimeout = Number(values['lock-timeout']);
  if (!Number.isFinite(lockTimeout) || lockTimeout < 0 || lockTimeout > 600) fail('--lock-timeout must be 0..600');
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port must be 1..65535`);
  }

  const lab = await startLab({
    backend,
    backendOptions: { userlandBinDir: values['userland-bin-dir'] ?? process.env.LAB_USERLAND_BIN_DIR },
    nodes,
    taskSeconds,
    schema,
    port,
    pveVersion: values['pve-version'],
    authFailureDelayMs: values['fast-401'] ? 0 : 3000,
    ssh: !values['no-ssh'],
    lockTimeoutMs: lockTimeout * 1000,
    logger: values.verbose ? (l) => process.stderr.write(`${l}\n`) : undefined,
  });
  process.stdout.write(`${JSON.stringify(lab.info)}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (values.verbose) process.stderr.write(`lab: ${signal}, stopping\n`);
    lab.close().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`lab: error while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // a closed terminal must not leave namespaces and daemons behind either
  process.on('SIGHUP', () => stop('SIGHUP'));
}

main().catch((e) => {
  process.stderr.write(`lab: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
