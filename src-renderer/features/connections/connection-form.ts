/**
 * The Proxmox connection form: what the operator types, how it is checked as they type, and the contract inputs
 * built from it (`connections.probe`, `connections.add`, `connections.update`). Patterns are the contract's
 * (src-shared/contract/connection-schemas.ts, after PVE's `pve-userid`, `pve-realm`, `pve-tokenid` in
 * pve-access-control PVE/Auth/Plugin.pm); main checks again with zod.
 */
import type { ChannelInput } from '../../../src-shared/contract/channels';
import type { Connection } from '../../../src-shared/contract/connection-schemas';

export type AuthMode = 'token' | 'password';
export type SshAuthMode = 'key' | 'password';

export interface ConnectionDraft {
  name: string;
  host: string;
  port: string;
  authMode: AuthMode;
  /** `user@realm!tokenname`. */
  tokenId: string;
  tokenSecret: string;
  username: string;
  realm: string;
  password: string;
  /** Empty: the API host. */
  sshHost: string;
  sshUser: string;
  sshPort: string;
  sshAuthMode: SshAuthMode;
  /** An unencrypted OpenSSH/PEM private key (file content). */
  sshKey: string;
  sshPassword: string;
}

export type ConnectionErrors = Partial<Record<keyof ConnectionDraft, string>>;

export const EMPTY_CONNECTION: ConnectionDraft = {
  name: '',
  host: '',
  port: '8006',
  authMode: 'token',
  tokenId: '',
  tokenSecret: '',
  username: 'root',
  realm: 'pam',
  password: '',
  sshHost: '',
  sshUser: 'root',
  sshPort: '22',
  sshAuthMode: 'key',
  sshKey: '',
  sshPassword: '',
};

// connectionHostSchema: a host name, IPv4 or a BARE IPv6 address
const HOST = /^([0-9a-fA-F:]*:[0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/;
const REALM = /^[A-Za-z][A-Za-z0-9._-]*$/;
const USER = /^[^\s:/@]+$/;
const TOKEN_ID = /^[^\s@:!]+@[A-Za-z][A-Za-z0-9._-]*![A-Za-z][A-Za-z0-9._-]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SSH_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

function portError(text: string): string | undefined {
  if (!/^\d{1,5}$/.test(text.trim())) return 'A port number.';
  const n = Number(text);
  return n >= 1 && n <= 65535 ? undefined : 'Between 1 and 65535.';
}

function hostError(text: string, required: boolean): string | undefined {
  const host = text.trim();
  if (!host) return required ? 'Required: the Proxmox host name or address.' : undefined;
  if (/^https?:\/\//i.test(host)) return 'Only the host (e.g. pve.example.lan), without https://.';
  if (host.startsWith('[')) return 'An IPv6 address without brackets, e.g. fd00::10.';
  if (host.length > 253 || !HOST.test(host)) return 'Not a host name or IP address.';
  return undefined;
}

/**
 * Every field's problem, in the operator's words; an empty object means the draft can be sent. When editing
 * (`editing` true) secrets may stay empty: the stored ones are kept.
 */
export function validateConnection(d: ConnectionDraft, editing = false): ConnectionErrors {
  const e: ConnectionErrors = {};
  if (!d.name.trim()) e.name = 'Required: a name for this connection, e.g. Home lab.';
  else if (d.name.trim().length > 100) e.name = 'At most 100 characters.';
  e.host = hostError(d.host, true);
  e.port = portError(d.port);
  if (d.authMode === 'token') {
    if (!TOKEN_ID.test(d.tokenId.trim())) e.tokenId = 'Like root@pam!proximity (user@realm!token).';
    if (!(editing && !d.tokenSecret) && !UUID.test(d.tokenSecret.trim())) e.tokenSecret = 'The token secret Proxmox showed once (a UUID).';
  } else {
    if (!USER.test(d.username.trim())) e.username = 'A user name without spaces, ":" "/" or "@".';
    if (!REALM.test(d.realm.trim())) e.realm = 'A realm such as pam or pve.';
    if (!editing && !d.password) e.password = 'Required.';
  }
  e.sshHost = hostError(d.sshHost, false);
  if (!SSH_USER.test(d.sshUser.trim())) e.sshUser = 'A Unix user name, e.g. root.';
  e.sshPort = portError(d.sshPort);
  if (d.sshAuthMode === 'key') {
    if (!(editing && !d.sshKey.trim()) && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(d.sshKey)) e.sshKey = 'Paste the private key file (-----BEGIN OPENSSH PRIVATE KEY----- …).';
  } else if (!editing && !d.sshPassword) e.sshPassword = 'Required.';
  for (const k of Object.keys(e) as Array<keyof ConnectionDraft>) if (e[k] === undefined) delete e[k];
  return e;
}

const sshHostOf = (d: ConnectionDraft) => d.sshHost.trim() || d.host.trim();

/**
 * `connections.probe` for the draft: the certificate and SSH host key. With an SSH key, main also logs in with it
 * to read the cluster CA (public-key auth reveals nothing to an impostor); a password is never sent by a probe.
 */
export function toProbeInput(d: ConnectionDraft): ChannelInput<'connections.probe'> {
  const key = d.sshAuthMode === 'key' && d.sshKey.trim() ? { auth: { kind: 'key' as const, privateKey: d.sshKey } } : {};
  return { host: d.host.trim(), port: Number(d.port), ssh: { host: sshHostOf(d), port: Number(d.sshPort), user: d.sshUser.trim(), ...key } };
}

/** `connections.add` with the fingerprints the operator confirmed. */
export function toAddInput(d: ConnectionDraft, pins: { tls: string; ssh: string }): ChannelInput<'connections.add'> {
  return {
    name: d.name.trim(),
    host: d.host.trim(),
    port: Number(d.port),
    auth: d.authMode === 'token' ? { kind: 'token', tokenId: d.tokenId.trim(), secret: d.tokenSecret.trim() } : { kind: 'password', user: d.username.trim(), realm: d.realm.trim(), password: d.password },
    tlsFingerprint: pins.tls,
    ssh: {
      host: sshHostOf(d),
      port: Number(d.sshPort),
      user: d.sshUser.trim(),
      auth: d.sshAuthMode === 'key' ? { kind: 'key', privateKey: d.sshKey } : { kind: 'password', password: d.sshPassword },
      hostKeyFingerprint: pins.ssh,
    },
  };
}

/** `connections.update`: secrets left empty are not sent, so the stored ones are kept. */
export function toUpdateInput(id: string, d: ConnectionDraft): ChannelInput<'connections.update'> {
  const sshAuth = d.sshAuthMode === 'key' ? (d.sshKey.trim() ? { kind: 'key' as const, privateKey: d.sshKey } : undefined) : d.sshPassword ? { kind: 'password' as const, password: d.sshPassword } : undefined;
  return {
    id,
    name: d.name.trim(),
    host: d.host.trim(),
    port: Number(d.port),
    auth:
      d.authMode === 'token'
        ? { kind: 'token', tokenId: d.tokenId.trim(), ...(d.tokenSecret.trim() && { secret: d.tokenSecret.trim() }) }
        : { kind: 'password', user: d.username.trim(), realm: d.realm.trim(), ...(d.password && { password: d.password }) },
    ssh: { host: sshHostOf(d), port: Number(d.sshPort), user: d.sshUser.trim(), ...(sshAuth && { auth: sshAuth }) },
  };
}

/** A saved profile as a draft to edit (secrets empty: kept unless re-entered). */
export function draftOf(c: Connection): ConnectionDraft {
  return {
    ...EMPTY_CONNECTION,
    name: c.name,
    host: c.host,
    port: String(c.port),
    authMode: c.auth.kind,
    tokenId: c.auth.kind === 'token' ? c.auth.tokenId : '',
    username: c.auth.kind === 'password' ? c.auth.user : 'root',
    realm: c.auth.kind === 'password' ? c.auth.realm : 'pam',
    sshHost: c.ssh?.host ?? '',
    sshUser: c.ssh?.user ?? 'root',
    sshPort: String(c.ssh?.port ?? 22),
    sshAuthMode: c.ssh?.authKind ?? 'key',
  };
}
