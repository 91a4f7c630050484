// The docker stand-in's state: one JSON record per compose project under /var/lib/lab-docker/projects, one
// web-server process per published port (pid and ready files under /run/lab-docker, logs under
// /var/log/lab-docker). "The daemon is running" = OpenRC's docker service is started.
import { fileURLToPath } from 'node:url';
import { alive, readPid, spawnDaemon, stopPid, waitFor } from './daemon.mjs';
import { exists, list, readText, remove, rp, writeText } from './fsroot.mjs';

const PROJECTS = '/var/lib/lab-docker/projects';
const SERVER = fileURLToPath(new URL('./docker-app-server.mjs', import.meta.url));

export const daemonRunning = () => exists('/run/openrc/started/docker');

export function loadProjects() {
  return list(PROJECTS).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readText(`${PROJECTS}/${f}`)));
}

export function loadProject(name) {
  const t = readText(`${PROJECTS}/${name}.json`);
  return t ? JSON.parse(t) : null;
}

export function saveProject(p) {
  writeText(`${PROJECTS}/${p.name}.json`, JSON.stringify(p, null, 2) + '\n');
}

export function dropProject(name) {
  remove(`${PROJECTS}/${name}.json`);
}

const ids = (project, svc, target) => `${project}-${svc}-${target}`;

/** Listening endpoints of a service: one per TCP port (a bare "80" gets an ephemeral host port, as in Docker). */
export function endpoints(project, svc) {
  return svc.ports.filter((p) => p.protocol === 'tcp').map((p) => ({ port: p, id: ids(project, svc.name, p.target) }));
}

export function serviceRunning(project, svc) {
  const eps = endpoints(project, svc);
  if (eps.length === 0) return svc.state === 'running';
  return eps.every((e) => alive(readPid(`/run/lab-docker/${e.id}.pid`)));
}

/** Starts the service's web servers; resolves with an error message or null. */
export async function startService(project, svc) {
  for (const e of endpoints(project, svc)) {
    const pidFile = `/run/lab-docker/${e.id}.pid`;
    if (alive(readPid(pidFile))) continue;
    const readyFile = `/run/lab-docker/${e.id}.ready`;
    remove(readyFile);
    const cfg = { project, service: svc.name, image: svc.image, host: e.port.host_ip, port: e.port.published ?? 0, healthPath: svc.healthPath, readyFile: rp(readyFile) };
    const pid = spawnDaemon([process.execPath, SERVER, JSON.stringify(cfg)], { pidFile, logFile: `/var/log/lab-docker/${project}-${svc.name}.log` });
    // Node's start-up is slow on a loaded machine: wait generously, but stop early if the server died.
    const ok = await waitFor(() => exists(readyFile) || !alive(pid), 15000);
    const status = (readText(readyFile) ?? '').trim();
    const ready = /^ready (\d+)$/.exec(status);
    if (ready) e.port.published = Number(ready[1]);
    if (!ok || !ready) {
      await stopPid(readPid(pidFile));
      remove(pidFile);
      return `Error response from daemon: driver failed programming external connectivity on endpoint ${svc.containerName}: ${status.replace(/^error: /, '') || 'server did not start'}`;
    }
  }
  svc.state = 'running';
  svc.startedAt = new Date().toISOString();
  return null;
}

export async function stopService(project, svc) {
  for (const e of endpoints(project, svc)) {
    const pidFile = `/run/lab-docker/${e.id}.pid`;
    await stopPid(readPid(pidFile));
    remove(pidFile);
    remove(`/run/lab-docker/${e.id}.ready`);
  }
  svc.state = 'exited';
}

export function logFile(project, svc) {
  return `/var/log/lab-docker/${project}-${svc.name}.log`;
}

/** At "daemon" start (boot): bring back services whose restart policy says so. */
export async function restartPolicyServices() {
  for (const p of loadProjects()) {
    for (const s of p.services) {
      const wanted = s.restart === 'always' || (s.restart === 'unless-stopped' && !s.stoppedByUser) || (s.state === 'running' && s.restart !== 'no');
      if (wanted && !serviceRunning(p.name, s)) await startService(p.name, s);
      else if (!serviceRunning(p.name, s)) s.state = 'exited';
    }
    saveProject(p);
  }
}

export async function stopAllServices() {
  for (const p of loadProjects()) {
    for (const s of p.services) await stopService(p.name, s);
    saveProject(p);
  }
}

