// The network half of the apk stand-in: every index and package "download" really resolves the mirror's
// name through the container's /etc/hosts and /etc/resolv.conf and really asks the mirror (the lab's internet
// endpoint answers for dl-cdn.alpinelinux.org), so broken DNS or NAT fails apk as on a real host. Nothing is
// transferred beyond that request: the lab's "mirror" only says it is there.
//
// Errors use apk-tools 2.14's texts (src/print.c apk_error_str) for what libfetch reports (fetch_syserr /
// netdb_seterr): resolver timeout/SERVFAIL -> EAGAIN, NXDOMAIN -> ENXIO, connect timeout -> ETIMEDOUT, ...
// Timeouts are short (DNS 1 s x 2 tries, HTTP 3 s; `--timeout N` overrides HTTP) so tests stay fast: real apk
// waits longer (musl 5 s x 2, libfetch 60 s) before printing the same text.
import dns from 'node:dns';
import http from 'node:http';
import { readText } from './fsroot.mjs';

export const APK_ERROR_TEXT = {
  EAGAIN: 'temporary error (try again later)',
  ENXIO: 'DNS lookup error',
  ETIMEDOUT: 'operation timed out',
  ECONNREFUSED: 'could not connect to server (check repositories file)',
  ENETUNREACH: 'network error (check Internet connection and firewall)',
  EREMOTEIO: "remote server returned error (try 'apk update')",
};

const DNS_TIMEOUT_MS = 1000;
const DNS_TRIES = 2;
const IPV4_RE = /^(\d{1,3}\.){3}\d{1,3}$/;

/** /etc/hosts first (nsswitch `hosts: files dns`). */
function fromHostsFile(name) {
  for (const line of (readText('/etc/hosts', '') ?? '').split('\n')) {
    const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (addr && IPV4_RE.test(addr) && names.includes(name)) return addr;
  }
  return null;
}

/** Resolves `name` to an IPv4 address; throws an error with `.apk` = a key of APK_ERROR_TEXT. */
async function resolve4(name) {
  if (IPV4_RE.test(name)) return name;
  const local = fromHostsFile(name);
  if (local) return local;
  // c-ares reads the container's /etc/resolv.conf (no nameserver line: 127.0.0.1, which refuses)
  const resolver = new dns.promises.Resolver({ timeout: DNS_TIMEOUT_MS, tries: DNS_TRIES });
  try {
    const [addr] = await resolver.resolve4(name);
    return addr;
  } catch (e) {
    const notFound = e?.code === dns.NOTFOUND || e?.code === dns.NODATA;
    throw Object.assign(new Error(`${name}: ${e?.code}`), { apk: notFound ? 'ENXIO' : 'EAGAIN' });
  }
}

/**
 * GET `url` (https is spoken as plain HTTP to port 80 of the resolved address: the lab has no TLS mirror).
 * Resolves null when the mirror answered 200, else the apk error key.
 */
export async function fetchUrl(url, timeoutMs = 3000) {
  const u = new URL(url);
  let addr;
  try {
    addr = await resolve4(u.hostname);
  } catch (e) {
    return e.apk ?? 'EAGAIN';
  }
  return new Promise((done) => {
    const req = http.get({ host: addr, port: 80, path: u.pathname, headers: { Host: u.hostname, 'User-Agent': 'apk-tools/2.14.4' } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200 ? null : 'EREMOTEIO'));
      res.on('error', () => done('ECONNREFUSED'));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done('ETIMEDOUT');
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e) => {
      clearTimeout(timer);
      if (e?.code === 'ECONNREFUSED') done('ECONNREFUSED');
      else if (e?.code === 'EHOSTUNREACH' || e?.code === 'ENETUNREACH') done('ENETUNREACH');
      else done('ETIMEDOUT');
    });
  });
}
