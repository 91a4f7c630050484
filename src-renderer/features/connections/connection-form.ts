/**
 * The "Add a Proxmox connection" form: what the operator types and how it is checked as they type. Patterns
 * follow PVE's own (pve-access-control PVE/Auth/Plugin.pm: `pve-userid`, `pve-realm`, `pve-tokenid`); main checks
 * again with zod when the `connections.add` channel lands.
 */
export type AuthMode = 'token' | 'password';

export interface ConnectionDraft {
  host: string;
  port: string;
  authMode: AuthMode;
  /** `user@realm!tokenname`. */
  tokenId: string;
  tokenSecret: string;
  username: string;
  realm: string;
  password: string;
  sshUser: string;
  sshPort: string;
}

export type ConnectionErrors = Partial<Record<keyof ConnectionDraft, string>>;

export const EMPTY_CONNECTION: ConnectionDraft = {
  host: '',
  port: '8006',
  authMode: 'token',
  tokenId: '',
  tokenSecret: '',
  username: 'root',
  realm: 'pam',
  password: '',
  sshUser: 'root',
  sshPort: '22',
};

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^\[?[0-9a-f:]+(%[a-z0-9]+)?\]?$/i;
const REALM = /^[A-Za-z][A-Za-z0-9._-]{1,31}$/;
const USER = /^[^\s:/@]{1,64}$/;
const TOKEN_ID = /^[^\s:/@]{1,64}@[A-Za-z][A-Za-z0-9._-]{1,31}![A-Za-z][A-Za-z0-9._-]{1,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SSH_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

function portError(text: string): string | undefined {
  if (!/^\d{1,5}$/.test(text.trim())) return 'A port number.';
  const n = Number(text);
  return n >= 1 && n <= 65535 ? undefined : 'Between 1 and 65535.';
}

/** Every field's problem, in the operator's words; an empty object means the draft can be tested. */
export function validateConnection(d: ConnectionDraft): ConnectionErrors {
  const e: ConnectionErrors = {};
  const host = d.host.trim();
  if (!host) e.host = 'Required: the Proxmox host name or address.';
  else if (/^https?:\/\//i.test(host)) e.host = 'Only the host (e.g. pve.example.lan), without https://.';
  else if (!(DNS_NAME.test(host) || IPV4.test(host) || (host.includes(':') && IPV6.test(host)))) e.host = 'Not a host name or IP address.';
  e.port = portError(d.port);
  if (d.authMode === 'token') {
    if (!TOKEN_ID.test(d.tokenId.trim())) e.tokenId = 'Like root@pam!proximity (user@realm!token).';
    if (!UUID.test(d.tokenSecret.trim())) e.tokenSecret = 'The token secret Proxmox showed once (a UUID).';
  } else {
    if (!USER.test(d.username.trim())) e.username = 'A user name without spaces, ":" "/" or "@".';
    if (!REALM.test(d.realm.trim())) e.realm = 'A realm such as pam or pve.';
    if (!d.password) e.password = 'Required.';
  }
  if (!SSH_USER.test(d.sshUser.trim())) e.sshUser = 'A Unix user name, e.g. root.';
  e.sshPort = portError(d.sshPort);
  for (const k of Object.keys(e) as Array<keyof ConnectionDraft>) if (e[k] === undefined) delete e[k];
  return e;
}
