// `docker` of the lab: a STAND-IN, not Docker. It reads the real compose file and, for each service with
// published ports, runs a small web server on the published port inside the container (docker-app-server.mjs).
// It never pulls or runs images.
import { loadCompose, ComposeError } from './docker-compose-file.mjs';
import {
  daemonRunning, dropProject, loadProject, loadProjects, logFile, saveProject, serviceRunning, startService, stopService,
} from './docker-state.mjs';
import { finish, readText } from './fsroot.mjs';
import { isInstalled } from './apk-db.mjs';
import { containerStartBlocked, pullBlocked, storageDriver } from './docker-host.mjs';

const VERSION = 'Docker version 26.1.5, build a72d7cd';
const COMPOSE_VERSION = 'v2.27.0';
const NO_DAEMON = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n';

let out = '';
let err = '';
const say = (s) => (out += `${s}\n`);
const progress = (s) => (err += `${s}\n`); // compose writes its progress to stderr

function portText(svc) {
  return svc.ports
    .filter((p) => p.published !== null)
    .map((p) => `${p.host_ip || '0.0.0.0'}:${p.published}->${p.target}/${p.protocol}`)
    .join(', ');
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? String(c) : String(c).padEnd(widths[i] + 3))).join('').trimEnd()).join('\n');
}

function since(iso) {
  const s = Math.max(1, Math.round((Date.now() - Date.parse(iso ?? new Date().toISOString())) / 1000));
  return s < 60 ? `${s} seconds` : s < 3600 ? `${Math.round(s / 60)} minutes` : `${Math.round(s / 3600)} hours`;
}

function statusText(project, svc) {
  return serviceRunning(project, svc) ? `Up ${since(svc.startedAt)}` : 'Exited (0)';
}

function parseComposeArgs(args) {
  const files = [];
  let projectName;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '-f' || a === '--file') files.push(args[++i]);
    else if (a.startsWith('--file=')) files.push(a.slice(7));
    else if (a === '-p' || a === '--project-name') projectName = args[++i];
    else if (a.startsWith('--project-name=')) projectName = a.slice(15);
    else if (a === '--project-directory' || a === '--env-file' || a === '--profile' || a === '--ansi' || a === '--progress') i++;
    else if (a.startsWith('-')) continue;
    else break;
  }
  return { files, projectName, cmd: args[i], rest: args.slice(i + 1) };
}

async function compose(args) {
  const { files, projectName, cmd, rest } = parseComposeArgs(args);
  if (cmd === 'version') {
    say(rest.includes('--short') ? COMPOSE_VERSION.slice(1) : `Docker Compose version ${COMPOSE_VERSION}`);
    return 0;
  }
  if (!cmd) {
    err += 'Usage:  docker compose [OPTIONS] COMMAND\n';
    return 1;
  }
  let project;
  try {
    project = loadCompose({ cwd: process.cwd(), files, projectName });
  } catch (e) {
    // `down`/`ps` of a known project still work without its file, as with -p
    if (!(e instanceof ComposeError) || !projectName || !loadProject(projectName)) throw e;
    project = loadProject(projectName);
  }
  if (!daemonRunning()) {
    err += NO_DAEMON;
    return 1;
  }
  const saved = loadProject(project.name);
  const byName = new Map((saved?.services ?? []).map((s) => [s.name, s]));
  const pick = rest.filter((a) => !a.startsWith('-'));
  const selected = (list) => (pick.length && ['up', 'stop', 'start', 'restart', 'logs', 'pull'].includes(cmd) ? list.filter((s) => pick.includes(s.name)) : list);

  switch (cmd) {
    case 'up': {
      const services = project.services.map((s) => ({ ...s, state: byName.get(s.name)?.state, startedAt: byName.get(s.name)?.startedAt }));
      const record = { name: project.name, file: project.file, dir: project.dir, services };
      const todo = selected(services);
      // images are pulled first: on vfs (ZFS < 2.2) registering their layers fails
      const pullErr = todo.some((s) => !s.pulled) ? pullBlocked() : null;
      if (pullErr) {
        progress(`[+] Pulling ${todo.length}/${todo.length}`);
        for (const s of todo) progress(` ✘ ${s.name} Error ${pullErr}`);
        err += `Error response from daemon: ${pullErr}\n`;
        return 1;
      }
      for (const s of todo) s.pulled = true;
      if (!saved) progress(` ✔ Network ${project.name}_default  Created`);
      // the host's AppArmor/privilege decides whether any container can start (docker-host.mjs)
      const blocked = containerStartBlocked();
      if (blocked && todo.some((s) => !serviceRunning(project.name, s))) {
        saveProject(record);
        const first = todo.find((s) => !serviceRunning(project.name, s));
        err = `[+] Running ${saved ? 0 : 1}/${todo.length + (saved ? 0 : 1)}\n${err} ⠿ Container ${first.containerName}  Starting\nError response from daemon: ${blocked}\n`;
        return 1;
      }
      for (const s of todo) {
        const old = byName.get(s.name);
        // an ephemeral host port ("80") stays what it was while the container lives
        for (const p of s.ports) {
          const prev = p.published === null ? old?.ports.find((o) => o.target === p.target && o.protocol === p.protocol && o.host_ip === p.host_ip) : null;
          if (prev) p.published = prev.published;
        }
        // a changed definition recreates the container
        if (old && JSON.stringify(old.ports) !== JSON.stringify(s.ports) && serviceRunning(project.name, old)) await stopService(project.name, old);
        const wasRunning = serviceRunning(project.name, s);
        const e = wasRunning ? null : await startService(project.name, s);
        if (e) {
          saveProject(record);
          err += `${e}\n`;
          return 1;
        }
        s.stoppedByUser = false;
        progress(` ✔ Container ${s.containerName}  ${wasRunning ? 'Running' : 'Started'}`);
      }
      saveProject(record);
      err = `[+] Running ${todo.length + (saved ? 0 : 1)}/${todo.length + (saved ? 0 : 1)}\n${err}`;
      return 0;
    }
    case 'down': {
      const services = saved?.services ?? [];
      for (const s of services) {
        await stopService(project.name, s);
        progress(` ✔ Container ${s.containerName}  Removed`);
      }
      if (saved) progress(` ✔ Network ${project.name}_default  Removed`);
      dropProject(project.name);
      err = `[+] Running ${services.length + (saved ? 1 : 0)}/${services.length + (saved ? 1 : 0)}\n${err}`;
      return 0;
    }
    case 'stop':
    case 'start':
    case 'restart': {
      if (!saved) {
        err += `no container found for project "${project.name}": not found\n`;
        return 1;
      }
      for (const s of selected(saved.services)) {
        if (cmd !== 'start') {
          await stopService(project.name, s);
          s.stoppedByUser = cmd === 'stop';
          progress(` ✔ Container ${s.containerName}  Stopped`);
        }
        if (cmd !== 'stop') {
          const e = await startService(project.name, s);
          if (e) {
            saveProject(saved);
            err += `${e}\n`;
            return 1;
          }
          progress(` ✔ Container ${s.containerName}  Started`);
        }
      }
      saveProject(saved);
      return 0;
    }
    case 'ps': {
      const services = (saved?.services ?? []).filter((s) => rest.includes('-a') || rest.includes('--all') || serviceRunning(project.name, s));
      if (rest.includes('--format') && /json/.test(rest[rest.indexOf('--format') + 1] ?? '')) {
        for (const s of services) {
          say(JSON.stringify({ Name: s.containerName, Image: s.image, Service: s.name, Project: project.name,
            State: serviceRunning(project.name, s) ? 'running' : 'exited', Status: statusText(project.name, s), Health: '',
            Publishers: s.ports.map((p) => ({ URL: p.host_ip || '0.0.0.0', TargetPort: p.target, PublishedPort: p.published ?? 0, Protocol: p.protocol })) }));
        }
        return 0;
      }
      if (rest.includes('-q') || rest.includes('--quiet')) {
        services.forEach((s) => say(fakeId(s.containerName)));
        return 0;
      }
      say(table([['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
        ...services.map((s) => [s.containerName, s.image, '"lab-stand-in"', s.name, `${since(s.startedAt)} ago`, statusText(project.name, s), portText(s)])]));
      return 0;
    }
    case 'logs': {
      for (const s of selected(saved?.services ?? [])) {
        for (const line of (readText(logFile(project.name, s), '') ?? '').split('\n').filter(Boolean)) say(`${s.containerName}  | ${line}`);
      }
      return 0;
    }
    case 'pull': {
      const todo = selected(project.services);
      const pullErr = pullBlocked();
      if (pullErr) {
        for (const s of todo) progress(` ✘ ${s.name} Error ${pullErr}`);
        err += `Error response from daemon: ${pullErr}\n`;
        return 1;
      }
      progress(`[+] Pulling ${todo.length}/${todo.length}`);
      for (const s of todo) progress(` ✔ ${s.name} Pulled (lab stand-in: ${s.image} is not downloaded; nothing is pulled)`);
      return 0;
    }
    case 'config': {
      if (rest.includes('--services')) project.services.forEach((s) => say(s.name));
      else say(readText(project.file) ?? '');
      return 0;
    }
    default:
      err += `unknown docker command: "compose ${cmd}"\n`;
      return 1;
  }
}

const HELLO = `
Hello from Docker!
This message shows that your installation appears to be working correctly.
`;

/**
 * `docker run [--rm] [-d] [--name N] IMAGE [CMD...]`: the smoke test a deployment runs after Docker starts.
 * Nothing runs: hello-world prints its greeting, `echo ...` its words; the node's blocks fail it as the
 * Docker CLI does (exit 125, or 126 when the daemon's text says "permission denied").
 */
function runContainer(args) {
  const valued = new Set(['--name', '-e', '--env', '-p', '--publish', '-v', '--volume', '--network', '--entrypoint', '-w', '--workdir', '-u', '--user']);
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) i += valued.has(args[i]) ? 2 : 1;
  const image = args[i];
  const cmd = args.slice(i + 1);
  if (!image) {
    err += '"docker run" requires at least 1 argument.\nSee \'docker run --help\'.\n';
    return 1;
  }
  const pullErr = pullBlocked();
  if (pullErr) {
    err += `Unable to find image '${image.includes(':') ? image : `${image}:latest`}' locally\nlatest: Pulling from ${image.includes('/') ? image : `library/${image}`}\ndocker: ${pullErr}\n\nRun 'docker run --help' for more information\n`;
    return 125;
  }
  const blocked = containerStartBlocked();
  if (blocked) {
    // docker/cli runStartContainerErr: 126 when the text contains syscall.EACCES ("permission denied")
    err += `docker: Error response from daemon: ${blocked}\n\nRun 'docker run --help' for more information\n`;
    return blocked.includes('permission denied') ? 126 : 125;
  }
  if (/^(docker\.io\/)?(library\/)?hello-world(:latest)?$/.test(image)) say(HELLO);
  else if (cmd[0] === 'echo') say(cmd.slice(1).join(' '));
  return 0;
}

function fakeId(name) {
  let h = 0n;
  for (const c of name) h = (h * 131n + BigInt(c.charCodeAt(0))) % (1n << 48n);
  return h.toString(16).padStart(12, '0');
}

async function main(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === '-v') {
    say(VERSION);
    return 0;
  }
  if (cmd === 'compose') {
    if (!isInstalled('docker-cli-compose')) {
      err += "docker: 'compose' is not a docker command.\nSee 'docker --help'\n";
      return 1;
    }
    return compose(rest);
  }
  if (cmd === undefined || cmd === '--help' || cmd === 'help') {
    say('Usage:  docker [OPTIONS] COMMAND\n\nLab stand-in (not Docker): --version, version, info, ps, compose');
    return 0;
  }
  if (!['version', 'info', 'ps', 'images', 'pull', 'run'].includes(cmd)) {
    err += `docker: '${cmd}' is not a docker command.\nSee 'docker --help'\n`;
    return 1;
  }
  if (cmd === 'version') say(`Client:\n Version:           26.1.5\n API version:       1.45\n Context:           default\n`);
  if (!daemonRunning()) {
    err += NO_DAEMON;
    return 1;
  }
  switch (cmd) {
    case 'version':
      say('Server:\n Engine:\n  Version:          26.1.5 (lab stand-in)\n  API version:      1.45 (minimum version 1.24)');
      return 0;
    case 'info': {
      const driver = storageDriver();
      const fi = rest.findIndex((a) => a === '--format' || a === '-f');
      const format = fi >= 0 ? rest[fi + 1] : rest.find((a) => a.startsWith('--format='))?.slice(9);
      if (format) {
        if (/^\{\{\s*\.Driver\s*\}\}$/.test(format.trim())) say(driver);
        else if (/^\{\{\s*json \.\s*\}\}$/.test(format.trim())) say(JSON.stringify({ Driver: driver, ServerVersion: '26.1.5', OperatingSystem: 'Alpine Linux v3.20' }));
        else say(format.replace(/\{\{[^}]*\}\}/g, '<no value>'));
        return 0;
      }
      say(`Client:\n Version:    26.1.5\n Context:    default\n\nServer:\n Containers: ${loadProjects().flatMap((p) => p.services).length}\n Server Version: 26.1.5\n Storage Driver: ${driver}${driver === 'overlay2' ? '\n  Backing Filesystem: extfs\n  Supports d_type: true' : ''}\n Operating System: Alpine Linux v3.20`);
      if (driver === 'vfs') err += 'WARNING: the vfs storage driver is deprecated, and will be removed in a future release.\n';
      return 0;
    }
    case 'run':
      return runContainer(rest);
    case 'images':
      say('REPOSITORY   TAG       IMAGE ID   CREATED   SIZE');
      return 0;
    case 'pull': {
      const image = rest.find((a) => !a.startsWith('-')) ?? '';
      const pullErr = pullBlocked();
      if (pullErr) {
        say(`Using default tag: latest\nlatest: Pulling from ${image.includes('/') ? image : `library/${image}`}`);
        err += `${pullErr}\n`;
        return 1;
      }
      say(`lab stand-in: ${image} is not downloaded; nothing is pulled`);
      return 0;
    }
    case 'ps': {
      const all = rest.includes('-a') || rest.includes('--all');
      const rows = [];
      for (const p of loadProjects()) {
        for (const s of p.services) {
          if (!all && !serviceRunning(p.name, s)) continue;
          rows.push([fakeId(s.containerName), s.image, '"lab-stand-in"', `${since(s.startedAt)} ago`, statusText(p.name, s), portText(s), s.containerName]);
        }
      }
      if (rest.includes('-q')) rows.forEach((r) => say(r[0]));
      else say(table([['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], ...rows]));
      return 0;
    }
  }
  return 1;
}

let code;
try {
  code = await main(process.argv.slice(2));
} catch (e) {
  err += `${e instanceof ComposeError ? e.message : String(e?.stack ?? e)}\n`;
  code = 1;
}
finish(code, out, err);
