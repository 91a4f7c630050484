// What each OpenRC service of the stand-in does. They drive the REAL programs (host binaries seen inside the
// container) with the config files the operator wrote: /etc/dnsmasq.conf, /etc/caddy/Caddyfile,
// /etc/iptables/rules-save, /etc/sysctl.conf + /etc/sysctl.d/*.conf.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { alive, readPid, runDaemonizer, stopPid, waitFor } from './daemon.mjs';
import { exists, list, mkdirp, readText, remove, rp } from './fsroot.mjs';

/** `KEY="value"` from /etc/conf.d/<svc> (shell-ish, no expansion). */
export function confValue(file, key) {
  const m = new RegExp(`^\\s*${key}=(?:"([^"]*)"|'([^']*)'|(\\S*))`, 'm').exec(readText(file, '') ?? '');
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

function run(argv, opts = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 15000, ...opts });
  return { code: r.status ?? 127, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error.message) : ''}` };
}

const setsid = fs.existsSync('/usr/bin/setsid') ? ['/usr/bin/setsid'] : [];
const lastLines = (s, n = 3) => s.trim().split('\n').filter(Boolean).slice(-n).join('\n');

/**
 * A daemonizer's foreground part may return before its daemon has written the pid file (`caddy start` returns
 * on the child's ping-back, and `caddy run` writes --pidfile after that), so wait a bounded moment for it.
 */
function pidFileUp(pidFile) {
  return waitFor(() => daemonStatus(pidFile), 5000);
}

function daemonStatus(pidFile) {
  return alive(readPid(pidFile));
}

// ---- dnsmasq -------------------------------------------------------------------------------------------
const dnsmasq = {
  pidFile: '/run/dnsmasq.pid',
  async start() {
    mkdirp('/var/lib/misc');
    mkdirp('/run');
    const extra = (confValue('/etc/conf.d/dnsmasq', 'DNSMASQ_OPTS') ?? '').split(/\s+/).filter(Boolean);
    // root: the container's /etc/passwd may not have dnsmasq's default user (nobody); a config `user=` still wins
    const r = runDaemonizer([...setsid, 'dnsmasq', '--conf-file=/etc/dnsmasq.conf', '--pid-file=/run/dnsmasq.pid', '--user=root', '--group=root', ...extra],
      { logFile: '/var/log/dnsmasq.log' });
    if (r.code !== 0) return { ok: false, msg: lastLines(r.log) || `dnsmasq exited with ${r.code}` };
    return { ok: await pidFileUp(this.pidFile), msg: 'dnsmasq did not stay up (see /var/log/dnsmasq.log)' };
  },
  async stop() {
    return { ok: await stopPid(readPid(this.pidFile)), cleanup: () => remove(this.pidFile) };
  },
  async reload() {
    const pid = readPid(this.pidFile);
    if (!alive(pid)) return { ok: false, msg: 'dnsmasq is not running' };
    process.kill(pid, 'SIGHUP'); // re-reads /etc/hosts and lease-related files, as OpenRC's reload does
    return { ok: true };
  },
  running() {
    return daemonStatus(this.pidFile);
  },
};

// ---- caddy ---------------------------------------------------------------------------------------------
const caddyEnv = { HOME: '/var/lib/caddy', XDG_DATA_HOME: '/var/lib/caddy', XDG_CONFIG_HOME: '/var/lib/caddy/.config' };
const caddyConfig = () => ['--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile'];
const caddy = {
  pidFile: '/run/caddy.pid',
  startMsg: 'Starting Caddy web server',
  async start() {
    mkdirp('/var/lib/caddy/.config');
    if (!exists('/etc/caddy/Caddyfile')) return { ok: false, msg: 'caddy: /etc/caddy/Caddyfile does not exist' };
    // `caddy start` forks `caddy run` and returns once the config is loaded (or reports why it was not)
    const r = runDaemonizer([...setsid, 'caddy', 'start', ...caddyConfig(), '--pidfile', rp('/run/caddy.pid')],
      { logFile: '/var/log/caddy.log', env: caddyEnv, timeoutMs: 20000 });
    if (r.code !== 0) return { ok: false, msg: lastLines(r.log.split('\n').filter((l) => !/^\{?"?level"?/.test(l) || /error/i.test(l)).join('\n') || r.log) };
    return { ok: await pidFileUp(this.pidFile), msg: 'caddy did not stay up (see /var/log/caddy.log)' };
  },
  async stop() {
    return { ok: await stopPid(readPid(this.pidFile)), cleanup: () => remove(this.pidFile) };
  },
  async reload() {
    if (!daemonStatus(this.pidFile)) return { ok: false, msg: 'caddy is not running' };
    const r = run(['caddy', 'reload', ...caddyConfig()], { env: { ...process.env, ...caddyEnv } });
    return r.code === 0 ? { ok: true } : { ok: false, msg: lastLines(r.out) };
  },
  running() {
    return daemonStatus(this.pidFile);
  },
};

// ---- iptables / ip6tables (OpenRC's iptables script: restore on start, flush on stop, save on demand) -------
function firewall(bin, saveKey, defaultSave) {
  const conf = `/etc/conf.d/${bin}`;
  const saveFile = () => confValue(conf, saveKey) || defaultSave;
  const tables = bin === 'iptables' ? ['filter', 'nat', 'mangle', 'raw'] : ['filter', 'mangle', 'raw'];
  const flush = () => {
    for (const t of tables) {
      run([bin, '-w', '-t', t, '-F']);
      run([bin, '-w', '-t', t, '-X']);
    }
    for (const c of ['INPUT', 'FORWARD', 'OUTPUT']) run([bin, '-w', '-P', c, 'ACCEPT']);
  };
  return {
    startMsg: `Loading ${bin} state and starting firewall`,
    stopMsg: `Stopping firewall`,
    async start() {
      const file = saveFile();
      if (!exists(file)) return { ok: false, msg: `Not starting ${bin}. First create some rules then run:\n * /etc/init.d/${bin} save` };
      const r = run([`${bin}-restore`, rp(file)]);
      if (r.code !== 0) return { ok: false, msg: lastLines(r.out) };
      if (bin === 'iptables' && /^y/i.test(confValue(conf, 'IPFORWARD') ?? '')) run(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
      return { ok: true };
    },
    async stop() {
      if (/^y/i.test(confValue(conf, 'SAVE_ON_STOP') ?? 'yes')) await this.save();
      flush();
      return { ok: true };
    },
    async reload() {
      flush();
      return this.start();
    },
    async save() {
      const file = saveFile();
      mkdirp(file.replace(/\/[^/]+$/, ''));
      const r = run([`${bin}-save`]);
      if (r.code !== 0) return { ok: false, msg: lastLines(r.out) };
      fs.writeFileSync(rp(file), r.out, { mode: 0o600 });
      return { ok: true };
    },
    extra: { save: `Saving ${bin} state` },
  };
}

// ---- sysctl --------------------------------------------------------------------------------------------
const sysctl = {
  startMsg: 'Configuring kernel parameters',
  async start() {
    const files = [...list('/etc/sysctl.d').filter((f) => f.endsWith('.conf')).map((f) => `/etc/sysctl.d/${f}`), '/etc/sysctl.conf'];
    const errors = [];
    for (const f of files) {
      if (!exists(f)) continue;
      const r = run(['sysctl', '-q', '-p', rp(f)]);
      if (r.code !== 0) errors.push(lastLines(r.out));
    }
    return errors.length ? { ok: false, msg: errors.join('\n') } : { ok: true };
  },
  async stop() {
    return { ok: true };
  },
};

// ---- docker (the stand-in has no daemon; "running" means the docker CLI accepts work) --------------------
const docker = {
  startMsg: 'Starting Docker Daemon',
  stopMsg: 'Stopping Docker Daemon',
  async start() {
    const { restartPolicyServices } = await import('./docker-state.mjs');
    await restartPolicyServices();
    return { ok: true };
  },
  async stop() {
    const { stopAllServices } = await import('./docker-state.mjs');
    await stopAllServices();
    return { ok: true };
  },
};

const noop = { async start() { return { ok: true }; }, async stop() { return { ok: true }; } };

export const SERVICES = {
  dnsmasq,
  caddy,
  iptables: firewall('iptables', 'IPTABLES_SAVE', '/etc/iptables/rules-save'),
  ip6tables: firewall('ip6tables', 'IP6TABLES_SAVE', '/etc/iptables/rules6-save'),
  sysctl,
  docker,
  networking: noop,
  local: noop,
};

/** Boot order: kernel parameters and firewall before daemons, the docker "daemon" before its apps. */
export const BOOT_ORDER = ['sysctl', 'iptables', 'ip6tables', 'networking', 'dnsmasq', 'docker', 'caddy', 'local'];
