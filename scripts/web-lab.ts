/**
 * `npm run web -- --lab`: the lab (PVE emulator + the simulated node's OpenSSH with `pct`) and a ready connection
 * to it in the web bridge's data folder, so the whole product can be tried in a browser without a Proxmox server.
 *
 * The `netns` backend (real namespaces, DHCP, DNS, NAT) where it can run (Linux, root, its Debian packages),
 * else the `virtual` one. The connection "Lab" pins the lab's certificate and SSH host key fingerprints from its
 * own description (the lab made them; nothing is trusted on first sight). It is replaced on every start, since
 * each lab run has new ports, keys and token.
 *
 * Secrets: the bridge has no OS keychain, so the lab's throwaway token and SSH key are encrypted with a key kept
 * beside the database (`lab-secrets.key`, mode 0600). Only ever lab credentials: never point this at a real host.
 */
import crypto from 'node:crypto';
import { aesGcmCipher } from '../src-main/core/secrets/aes-gcm-cipher';
import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../src-main/core/core-context';
import type { PveConnectionRecord } from '../src-main/core/connections/pve-connection-repository';
import type { SecretCipher } from '../src-main/core/secrets/secret-cipher';
import { connectionAddInputSchema } from '../src-shared/contract/connection-schemas';
import { startLab, type Lab } from '../test/lab/lab';

/** The name of the connection `--lab` creates (and replaces on the next start). */
export const LAB_CONNECTION_NAME = 'Lab';

/**
 * Starts the lab: `netns` as root on Linux (falls back to `virtual` when it cannot start, saying why through
 * `log`), `virtual` elsewhere.
 */
export async function startWebLab(log: (line: string) => void): Promise<Lab> {
  const canNetns = process.platform === 'linux' && process.getuid?.() === 0;
  if (canNetns) {
    try {
      return await startLab({ backend: 'netns' });
    } catch (e) {
      log(`lab: the netns backend did not start (${e instanceof Error ? e.message : String(e)}); using the virtual one`);
    }
  }
  return startLab({ backend: 'virtual' });
}

/**
 * AES-256-GCM with a random key in `<dataDir>/lab-secrets.key` (created 0600 on first use): a stand-in for the
 * OS keychain that the web bridge does not have, for the lab's throwaway credentials only.
 */
export function labSecretCipher(dataDir: string): SecretCipher {
  const file = path.join(dataDir, 'lab-secrets.key');
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32), { mode: 0o600, flag: 'wx' });
  const key = fs.readFileSync(file);
  if (key.length !== 32) throw new Error(`${file} is not a 32-byte key; delete it (it only protects lab credentials)`);
  return aesGcmCipher(key);
}

/**
 * Replaces the "Lab" connection with one to this lab: its API token, its SSH login (root, the lab's key), and
 * the certificate and host key fingerprints the lab printed, pinned. With `netns`, the node is reached at its
 * management address on the lab LAN, as an operator's laptop would; else on loopback.
 */
export async function ensureLabConnection(core: CoreContext, lab: Lab): Promise<PveConnectionRecord> {
  const { api, ssh, management } = lab.info;
  if (!ssh) throw new Error('the lab started without its SSH server');
  const old = core.connectionService.list().find((c) => c.name === LAB_CONNECTION_NAME);
  if (old) await core.connectionService.remove(old.id, 'web-lab');
  const input = connectionAddInputSchema.parse({
    name: LAB_CONNECTION_NAME,
    host: management?.address ?? new URL(api.url).hostname,
    port: management ? 8006 : Number(new URL(api.url).port),
    auth: { kind: 'token', tokenId: api.tokenId, secret: api.tokenSecret },
    tlsFingerprint: api.fingerprint,
    ssh: {
      host: management?.address ?? ssh.host,
      port: management?.sshPort ?? ssh.port,
      user: ssh.user,
      auth: { kind: 'key', privateKey: fs.readFileSync(ssh.privateKeyPath, 'utf8') },
      hostKeyFingerprint: ssh.hostKeyFingerprint,
    },
  });
  return core.connectionService.add(input, 'web-lab');
}
