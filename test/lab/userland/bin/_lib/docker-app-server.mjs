// The "container" the docker stand-in runs for a service with published ports: a small web server that answers
// like a typical self-hosted app, including the frame-busting headers the canvas port has to strip.
//   node docker-app-server.mjs '<json: {project, service, image, host, port, healthPath, readyFile}>'
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

const cfg = JSON.parse(process.argv[2] ?? '{}');
const COOKIE = 'lab_session';
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const sessions = new Set();

function page(title, body) {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>\n<body>\n${body}\n</body></html>\n`;
}

function cookieValue(req) {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

const server = http.createServer((req, res) => {
  // every response, like apps that refuse to be framed (the canvas port removes these two headers)
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  res.setHeader('X-Lab-Service', `${cfg.project}/${cfg.service}`);
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (status, type, body, extra = {}) => {
    res.writeHead(status, { 'Content-Type': type, ...extra });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (url.pathname === '/health' || (cfg.healthPath && url.pathname === cfg.healthPath)) return send(200, 'text/plain; charset=utf-8', 'ok\n');
  if (url.pathname === '/') {
    return send(200, 'text/html; charset=utf-8', page(cfg.service,
      `<h1>${esc(cfg.service)}</h1>\n<p>Service <b>${esc(cfg.service)}</b> of project <b>${esc(cfg.project)}</b>, image <code>${esc(cfg.image)}</code>.</p>\n` +
      `<p>Lab stand-in for a Docker container (not Docker). <a href="/login">Log in</a> · <a href="/whoami">Who am I?</a></p>`));
  }
  if (url.pathname === '/login') {
    const id = crypto.randomBytes(12).toString('hex');
    sessions.add(id);
    // deliberately no SameSite attribute: browsers then treat it as Lax, which matters inside iframes
    return send(200, 'text/html; charset=utf-8', page('Logged in', `<p id="login">logged in as admin</p>\n<a href="/whoami">Who am I?</a>`),
      { 'Set-Cookie': `${COOKIE}=${id}; Path=/; HttpOnly` });
  }
  if (url.pathname === '/whoami') {
    const v = cookieValue(req);
    const state = v === null ? 'missing' : sessions.has(v) ? 'valid' : 'unknown';
    return send(200, 'text/html; charset=utf-8', page('Who am I', `<p id="session" data-session="${state}">session cookie: ${state}</p>\n` +
      `<p>${state === 'valid' ? 'logged in as admin' : 'not logged in'}</p>`));
  }
  return send(404, 'text/plain; charset=utf-8', 'not found\n');
});

// Written whole (temp file + rename): `docker compose up` polls for this file and must never read it half-written.
function writeReady(text) {
  fs.writeFileSync(`${cfg.readyFile}.tmp`, text);
  fs.renameSync(`${cfg.readyFile}.tmp`, cfg.readyFile);
}

server.on('error', (err) => {
  const msg = err.code === 'EADDRINUSE'
    ? `Bind for ${cfg.host || '0.0.0.0'}:${cfg.port} failed: port is already allocated`
    : String(err.message);
  if (cfg.readyFile) writeReady(`error: ${msg}\n`);
  process.stderr.write(`${msg}\n`);
  process.exit(1);
});

server.listen({ port: cfg.port, host: cfg.host || '0.0.0.0' }, () => {
  const port = server.address().port;
  if (cfg.readyFile) writeReady(`ready ${port}\n`);
  process.stdout.write(`${cfg.service} listening on ${cfg.host || '0.0.0.0'}:${port} (image ${cfg.image}, lab stand-in)\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
