// The packages the Alpine stand-in knows. Programs come from the host (the container sees the host's
// /usr); "installing" records the package, creates the OpenRC service and its default config files.
// Versions are Alpine 3.20's; the binaries that actually run are the host's (e.g. caddy 2.6, dnsmasq 2.90).

const initd = (svc) => ({
  path: `/etc/init.d/${svc}`,
  mode: 0o755,
  text: `#!/bin/sh\n# OpenRC service '${svc}' of the lab's Alpine stand-in (see /usr/local/bin/_lib/services.mjs)\nexec /usr/local/bin/rc-service ${svc} "$@"\n`,
});

const DNSMASQ_CONF = `# Configuration file for dnsmasq.
#
# Format is one option per line, legal options are the same
# as the long options legal on the command line. See
# "/usr/sbin/dnsmasq --help" or "man 8 dnsmasq" for details.
`;

const CADDYFILE = `# The Caddyfile is an easy way to configure your Caddy web server.
#
# https://caddyserver.com/docs/caddyfile
:80 {
	respond "Caddy works!"
}
`;

export const BASE = {
  'alpine-base': '3.20.3-r0',
  'alpine-baselayout': '3.6.5-r0',
  'apk-tools': '2.14.4-r1',
  busybox: '1.36.1-r29',
  'busybox-binsh': '1.36.1-r29',
  'ca-certificates-bundle': '20240705-r0',
  musl: '1.2.5-r0',
  openrc: '0.54-r1',
  'ifupdown-ng': '0.12.1-r5',
};

/** name -> { version, deps?: string[], services?: string[], files?: {path, text, mode?, keep?}[] } */
export const CATALOG = {
  ...Object.fromEntries(Object.entries(BASE).map(([n, v]) => [n, { version: v }])),
  dnsmasq: { version: '2.90-r3', deps: ['dnsmasq-common'], services: ['dnsmasq'],
    files: [{ path: '/etc/dnsmasq.conf', text: DNSMASQ_CONF, keep: true },
      { path: '/etc/conf.d/dnsmasq', text: '# Options passed to dnsmasq (lab stand-in)\nDNSMASQ_OPTS=""\n', keep: true }],
    dirs: ['/etc/dnsmasq.d', '/var/lib/misc'] },
  'dnsmasq-common': { version: '2.90-r3' },
  caddy: { version: '2.8.4-r5', deps: ['caddy-openrc'], services: ['caddy'],
    files: [{ path: '/etc/caddy/Caddyfile', text: CADDYFILE, keep: true }], dirs: ['/var/lib/caddy'] },
  'caddy-openrc': { version: '2.8.4-r5' },
  iptables: { version: '1.8.10-r3', deps: ['libmnl', 'libnftnl', 'libxtables'], services: ['iptables'],
    files: [{ path: '/etc/conf.d/iptables', text: 'IPTABLES_SAVE="/etc/iptables/rules-save"\nSAVE_RESTORE_OPTIONS="-c"\nSAVE_ON_STOP="yes"\nIPFORWARD="no"\n', keep: true }],
    dirs: ['/etc/iptables'] },
  ip6tables: { version: '1.8.10-r3', deps: ['iptables'], services: ['ip6tables'],
    files: [{ path: '/etc/conf.d/ip6tables', text: 'IP6TABLES_SAVE="/etc/iptables/rules6-save"\nSAVE_ON_STOP="yes"\n', keep: true }],
    dirs: ['/etc/iptables'] },
  'iptables-openrc': { version: '1.8.10-r3', deps: ['iptables'] },
  libmnl: { version: '1.0.5-r2' },
  libnftnl: { version: '1.2.6-r0' },
  libxtables: { version: '1.8.10-r3' },
  curl: { version: '8.9.1-r1', deps: ['libcurl', 'ca-certificates'] },
  libcurl: { version: '8.9.1-r1' },
  wget: { version: '1.24.5-r0' },
  bash: { version: '5.2.26-r0', deps: ['readline'] },
  readline: { version: '8.2.10-r0' },
  'ca-certificates': { version: '20240705-r0' },
  iproute2: { version: '6.9.0-r0' },
  'busybox-extras': { version: '1.36.1-r29' },
  'bind-tools': { version: '9.18.27-r0' },
  tzdata: { version: '2024b-r0' },
  jq: { version: '1.7.1-r0' },
  openssl: { version: '3.3.2-r1' },
  sqlite: { version: '3.45.3-r1' },
  nodejs: { version: '20.15.1-r0' },
  docker: { version: '26.1.5-r0', deps: ['docker-cli', 'docker-engine', 'containerd', 'runc', 'docker-openrc'], services: ['docker'],
    files: [{ path: '/etc/conf.d/docker', text: '# Any extra options passed to dockerd (lab stand-in: ignored)\nDOCKER_OPTS=""\n', keep: true }],
    dirs: ['/var/lib/docker'] },
  'docker-cli': { version: '26.1.5-r0' },
  'docker-engine': { version: '26.1.5-r0' },
  'docker-openrc': { version: '26.1.5-r0' },
  containerd: { version: '1.7.17-r2' },
  runc: { version: '1.1.14-r0' },
  'docker-cli-compose': { version: '2.27.0-r3', deps: ['docker-cli'] },
  'docker-compose': { version: '2.27.0-r3', deps: ['docker-cli-compose'] },
};

export function serviceFiles(pkg) {
  return (CATALOG[pkg]?.services ?? []).map(initd);
}

/** The service names (init.d scripts) a freshly created Alpine container already has. */
export const BASE_SERVICES = ['sysctl', 'networking', 'local'];
export const baseServiceFiles = () => BASE_SERVICES.map(initd);
