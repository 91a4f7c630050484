// Proxmox connection profiles as the operator manages them: first contact (probe), add with the confirmed
// fingerprints (pinned), edit (secrets kept unless re-entered), re-pin after a mismatch, remove, and
// "Test connection". Secrets are encrypted by the repository's SecretCipher; nothing here returns or logs one.
import type { z } from 'zod';
import type {
  connectionAddInputSchema,
  connectionRepinInputSchema,
  ConnectionProbeResult,
  ConnectionTestReport,
  connectionUpdateInputSchema,
} from '../../../src-shared/contract/connection-schemas';
import { ProximityError } from '../errors';
import { probeConnection, type ConnectionProbeInput } from './connection-probe';
import { testConnection, type ConnectionTestOptions } from './connection-test';
import type { ProxmoxSessions } from './proxmox-sessions';
import type { PveConnectionEdit, PveConnectionRecord, PveConnectionRepository } from './pve-connection-repository';

export type ConnectionAdd = z.output<typeof connectionAddInputSchema>;
export type ConnectionUpdate = z.output<typeof connectionUpdateInputSchema>;
export type ConnectionRepin = z.output<typeof connectionRepinInputSchema>;

/** Construction options of ConnectionService. */
export interface ConnectionServiceOptions {
  repository: PveConnectionRepository;
  sessions: ProxmoxSessions;
  /** deadline of each probe connection (default 10 000 ms) */
  probeTimeoutMs?: number;
  /** deadlines of "Test connection" (defaults: 45 000 ms in all, 10 000 ms per step) */
  test?: Omit<ConnectionTestOptions, 'signal'>;
}

/** Add, edit, test, re-pin and remove Proxmox connections (inputs already validated by the contract's schemas). */
export class ConnectionService {
  constructor(private readonly o: ConnectionServiceOptions) {}

  /** Every saved connection (no secrets), by name. */
  list(): PveConnectionRecord[] {
    return this.o.repository.list();
  }

  /** NOT_FOUND when unknown. */
  require(id: string): PveConnectionRecord {
    return this.o.repository.require(id);
  }

  /**
   * First contact: fingerprints to confirm (TLS certificate, SSH host key, cluster CA when readable). Sends no
   * API credential and stores nothing. Throws PVE_UNREACHABLE, SSH_FAILED, SSH_TIMEOUT.
   */
  probe(input: ConnectionProbeInput): Promise<ConnectionProbeResult> {
    return probeConnection(input, { timeoutMs: this.o.probeTimeoutMs });
  }

  /**
   * Saves a new profile with the fingerprints the operator confirmed, pinned from now on. Audited
   * (`connection.create`, no secrets). Throws VALIDATION, CONFLICT (name taken), SECRET_STORE_UNAVAILABLE.
   */
  add(input: ConnectionAdd, actor = 'operator'): PveConnectionRecord {
    const auth = input.auth;
    return this.o.repository.insert(
      {
        name: input.name,
        host: input.host,
        port: input.port,
        authKind: auth.kind,
        authId: auth.kind === 'token' ? auth.tokenId : `${auth.user}@${auth.realm}`,
        secret: auth.kind === 'token' ? auth.secret.toLowerCase() : auth.password,
        tlsFingerprint: input.tlsFingerprint,
        ssh: {
          host: input.ssh.host,
          port: input.ssh.port,
          user: input.ssh.user,
          authKind: input.ssh.auth.kind,
          secret: input.ssh.auth.kind === 'key' ? input.ssh.auth.privateKey : input.ssh.auth.password,
          hostKeyFingerprint: input.ssh.hostKeyFingerprint,
        },
      },
      actor,
    );
  }

  /**
   * Edits a profile; secrets not re-entered are kept. A new SSH address means a different host key: its node pins
   * are dropped so the next login checks the key against the connection's confirmed one. Throws NOT_FOUND,
   * VALIDATION, CONFLICT, SECRET_STORE_UNAVAILABLE.
   */
  async update(input: ConnectionUpdate, actor = 'operator'): Promise<PveConnectionRecord> {
    const before = this.o.repository.require(input.id);
    const patch: PveConnectionEdit = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.host !== undefined) patch.host = input.host;
    if (input.port !== undefined) patch.port = input.port;
    if (input.auth) {
      patch.authKind = input.auth.kind;
      patch.authId = input.auth.kind === 'token' ? input.auth.tokenId : `${input.auth.user}@${input.auth.realm}`;
      const secret = input.auth.kind === 'token' ? input.auth.secret?.toLowerCase() : input.auth.password;
      if (secret !== undefined) patch.secret = secret;
    }
    if (input.ssh) {
      const s = input.ssh;
      patch.ssh = {
        ...(s.host !== undefined && { host: s.host }),
        ...(s.port !== undefined && { port: s.port }),
        ...(s.user !== undefined && { user: s.user }),
        ...(s.auth && { authKind: s.auth.kind, secret: s.auth.kind === 'key' ? s.auth.privateKey : s.auth.password }),
      };
    }
    const after = this.o.repository.edit(input.id, patch, actor);
    if (before.ssh?.host !== after.ssh?.host || before.ssh?.port !== after.ssh?.port) await this.o.sessions.unpinNodes(input.id);
    return after;
  }

  /**
   * Re-pins after the operator compared and confirmed a new fingerprint (audited `connection.tls.pin` /
   * `connection.ssh.pin` with the fingerprints). An SSH re-pin also forgets the per-node pins, so the next login
   * pins the new key. Throws NOT_FOUND, VALIDATION (no SSH login to re-pin).
   */
  async repin(input: ConnectionRepin, actor = 'operator'): Promise<PveConnectionRecord> {
    const record = this.o.repository.require(input.id);
    if (input.kind === 'tls') return this.o.repository.pinTlsFingerprint(input.id, input.fingerprint, actor);
    if (!record.ssh) throw new ProximityError('VALIDATION', `Connection "${record.name}" has no SSH login to re-pin.`);
    await this.o.sessions.unpinNodes(input.id);
    return this.o.repository.pinSshHostKey(input.id, input.fingerprint, actor);
  }

  /** Removes the profile, its node SSH pins and its live session. Audited. Throws NOT_FOUND. */
  async remove(id: string, actor = 'operator'): Promise<void> {
    this.o.repository.delete(id, actor);
    await this.o.sessions.forget(id);
    await this.o.sessions.unpinNodes(id);
  }

  /**
   * "Test connection": tcp, tls (pin), auth, privileges (named when missing), ssh (login + host key), pct, each
   * ok / failed / skipped. Bounded by the test deadlines; rejects only with `signal`'s reason when it aborts.
   * Throws NOT_FOUND, SECRET_STORE_UNAVAILABLE (the saved secret cannot be decrypted).
   */
  test(id: string, signal?: AbortSignal): Promise<ConnectionTestReport> {
    const record = this.o.repository.require(id);
    const apiSecret = this.o.repository.revealSecret(id);
    const sshSecret = record.ssh?.hasSecret ? this.o.repository.revealSshSecret(id) : undefined;
    return testConnection({ record, apiSecret, sshSecret }, { ...this.o.test, signal });
  }
}
