import type { CommandExecutor } from '../network/command-executor';
import { swapConfigFile, type ConfigSwapResult } from '../network/config-file-swap';
import { parseStrict, plainPathSchema } from '../network/strict-values';
import { generateCaddyfile, type CaddyfileOptions } from './caddyfile';

/** Where Alpine's caddy package (and the lab's OpenRC stand-in) reads its config at boot. */
export const CADDYFILE_PATH = '/etc/caddy/Caddyfile';

export interface ReverseProxyManagerOptions extends CaddyfileOptions {
  /** the live Caddyfile inside the appliance (default `/etc/caddy/Caddyfile`) */
  caddyfilePath?: string;
  /** the caddy binary (default `caddy`, found on PATH) */
  caddyBin?: string;
  /** bound for each command, ms (default 60 000) */
  timeoutMs?: number;
}

/** What an apply did: `changed` false when the live Caddyfile already held exactly this text. */
export interface ProxyApplyResult extends ConfigSwapResult {
  routes: number;
  bytes: number;
}

// Fixed script, values as positional arguments: adapt the candidate once, validate it (load + provision, no
// listeners), and keep the adapted JSON for the reload.
const ADAPT_AND_VALIDATE = '"$1" adapt --config "$2" --adapter caddyfile --validate > "$3"';

/**
 * Generates the appliance's Caddyfile from the store's routes and applies it through a `CommandExecutor` (SSH +
 * `pct exec` into the appliance in the product; this machine in tests).
 *
 * Applying (see `swapConfigFile`): write `<path>.proximity-new`; `caddy adapt --validate` it with the appliance's
 * own Caddy; rename it over the live file (`<path>.previous` keeps the last good one); `caddy reload` the adapted
 * JSON through the admin API on localhost. Caddy's reload is graceful and all-or-nothing: listeners on unchanged
 * ports are kept, other apps keep serving, and a reload Caddy refuses leaves the old config running (the previous
 * file is then moved back). The reload uses the JSON the validation produced because adapting a Caddyfile of N
 * port blocks grows quadratically in Caddy 2.6 (measured: 250 apps 0.2 s, 500 apps 0.8 s, 1000 apps 3.7 s), so
 * adapting once instead of twice halves the cost of an apply at 1000 apps.
 */
export class ReverseProxyManager {
  private readonly path: string;

  /** Throws `VALIDATION` if `caddyfilePath` is not a plain absolute path. */
  constructor(private readonly exec: CommandExecutor, private readonly options: ReverseProxyManagerOptions = {}) {
    this.path = parseStrict(plainPathSchema, options.caddyfilePath ?? CADDYFILE_PATH, 'VALIDATION', 'Caddyfile path');
  }

  /** The Caddyfile text for `routes` (see `generateCaddyfile`); throws PROXY_CONFIG_INVALID for a hostile value. */
  generate(routes: readonly unknown[]): string {
    const { caddyfilePath: _p, caddyBin: _b, timeoutMs: _t, ...gen } = this.options;
    return generateCaddyfile(routes, gen);
  }

  /**
   * Generates, validates and applies the config for `routes`. Generation runs first and throws
   * `PROXY_CONFIG_INVALID` before any command runs, so a hostile value never reaches the appliance. Caddy refusing
   * the file throws `PROXY_CONFIG_INVALID` (live file untouched); a failed swap or reload throws
   * `PROXY_APPLY_FAILED` (previous file restored, old config still serving). Both carry Caddy's output.
   */
  async apply(routes: readonly unknown[]): Promise<ProxyApplyResult> {
    const content = this.generate(routes);
    const caddy = this.options.caddyBin ?? 'caddy';
    const json = (candidate: string) => `${candidate}.json`;
    const r = await swapConfigFile(this.exec, {
      what: 'Caddyfile',
      path: this.path,
      content,
      validateArgv: (candidate) => ['sh', '-c', ADAPT_AND_VALIDATE, 'sh', caddy, candidate, json(candidate)],
      reloadArgv: (candidate) => [caddy, 'reload', '--config', json(candidate)], // JSON is Caddy's native format: no adapter
      scratchFiles: (candidate) => [json(candidate)],
      invalidCode: 'PROXY_CONFIG_INVALID',
      applyCode: 'PROXY_APPLY_FAILED',
      timeoutMs: this.options.timeoutMs,
    });
    return { ...r, routes: routes.length, bytes: Buffer.byteLength(content) };
  }
}
