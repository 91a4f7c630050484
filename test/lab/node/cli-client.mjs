#!/usr/bin/env node
// Thin `pct` / `pveam` / `pveversion` for the simulated node's SSH sessions. Plain .mjs (no TypeScript loader) so it starts
// fast. The wrapper scripts in <runDir>/bin set LAB_CONTROL_URL / LAB_CONTROL_TOKEN and exec:
//   node cli-client.mjs pct "$@"
// The emulator does the work; for `pct exec` it answers with a host argv that we run with inherited stdio.
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';

const [tool, ...args] = process.argv.slice(2);
const url = process.env.LAB_CONTROL_URL;
const token = process.env.LAB_CONTROL_TOKEN;
if (!url || !token) {
  process.stderr.write(`${tool ?? 'cli'}: the lab's control URL is not set (LAB_CONTROL_URL / LAB_CONTROL_TOKEN)\n`);
  process.exit(255);
}

function post(body) {
  const data = Buffer.from(JSON.stringify(body));
  const u = new URL('/cli', url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': data.length, 'x-lab-token': token } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`control server answered ${res.statusCode}: ${text}`));
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`control server sent invalid JSON: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

let cwd = '/';
try {
  cwd = process.cwd();
} catch {
  /* deleted cwd: resolve relative to / */
}

let res;
try {
  res = await post({ tool, args, cwd, node: process.env.LAB_NODE });
} catch (err) {
  process.stderr.write(`${tool}: ${err.message}\n`);
  process.exit(255);
}
if (res && typeof res === 'object' && 'data' in res && !('exitCode' in res) && !('exec' in res)) res = res.data;

if (Array.isArray(res?.exec)) {
  const [cmd, ...rest] = res.exec;
  const child = spawn(cmd, rest, { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    process.stderr.write(`lxc-attach: ${err.message}\n`);
    process.exit(255);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 1)));
} else {
  const flushThenExit = () => process.exit(Number.isInteger(res?.exitCode) ? res.exitCode : 255);
  process.stderr.write(res?.stderr ?? '');
  process.stdout.write(res?.stdout ?? '', flushThenExit);
}
