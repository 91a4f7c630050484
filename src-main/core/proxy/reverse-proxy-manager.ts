import type { CommandExecutor } from '../network/command-executor';
import { swapConfigFile, type ConfigSwapResult } from '../network/config-file-swap';
import { parseStrict, plainPathSchema } from '../network/strict-values';
import { ProximityError } from '../errors';
import { renderCaddyJson } from './caddy-json';
import { checkProxyInput, generateCaddyfile, renderCaddyfile, type CaddyfileOptions } from './caddyfile';

/** Where Alpine's caddy package (and the lab's OpenRC stand-in) reads its config at boot. */
export const CADDYFILE_PATH = '/etc/caddy/Caddyfile';

export interface ReverseProxyManagerOptions extends CaddyfileOptions {
  /** the live Caddyfile inside the appliance (default `/etc/caddy/Caddyfile`) */
  caddyfilePath?: string;
  /** the caddy binary (default `caddy`, found on PATH) */
  caddyBin?: string;
  /** bound for each command, ms (default 60 000) */
  timeoutMs?: number;
  /**
   * What Caddy validates and loads. `json` (default): the JSON twin of the Caddyfile (`generateCaddyJson`), fast
   * at any size. `caddyfile`: the Caddyfile itself through Caddy's adapter (`caddy adapt --validate`), which
   * costs about 2 s of CPU at 1000 apps. Either way the Caddyfile is the file written, the one Caddy boots from.
   */
  load?: 'json' | 'caddyfile';
}

/** What an apply did: `changed` false when the live Caddyfile already held exactly this text. */
export interface ProxyApplyResult extends ConfigSwapResult {
  routes: number;
  bytes: number;
}

// Fixed scripts, values as positional arguments. ADAPT: adapt the candidate Caddyfile once, validate it (load +
// provision, no listeners) and keep the adapted JSON for the reload. WRITE: the JSON twin beside the candidate.
const ADAPT_AND_VALIDATE = '"$1" adapt --config "$2" --adapter caddyfile --validate > "$3"';
const WRITE = 'umask 022 && mkdir -p "$(dirname "$1")" && cat > "$1"';

/**
 * Generates the appliance's Caddyfile from the store's routes and applies it through a `CommandExecutor` (SSH +
 * `pct exec` into the appliance in the product; this machine in tests).
 *
 * Applying (see `swapConfigFile`): write `<path>.proximity-new`; have the appliance's own Caddy validate the new
 * config (`caddy validate` of its JSON twin, or `caddy adapt --validate` of the Caddyfile with `load: 'caddyfile'`);
 * rename it over the live file (`<path>.previous` keeps the last good one); `caddy reload` the JSON through the
 * admin API on localhost. Caddy's reload is graceful and all-or-nothing: listeners on unchanged ports are kept,
 * other apps keep serving (open connections included), and a reload Caddy refuses leaves the old config running
 * (the previous file is then moved back). At boot, OpenRC starts Caddy from the Caddyfile, which adapts to the
 * same config (tested).
 */
export class ReverseProxyManager {
  private readonly path: string;

  /** Throws `VALIDATION` if `caddyfilePath` is not a plain absolute path. */
  constructor(private readonly exec: CommandExecutor, private readonly options: ReverseProxyManagerOptions = {}) {
    this.path = parseStrict(plainPathSchema, options.caddyfilePath ?? CADDYFILE_PATH, 'VALIDATION', 'Caddyfile path');
  }

  /** The Caddyfile text for `routes` (see `generateCaddyfile`); throws PROXY_CONFIG_INVALID for a hostile value. */
  generate(routes: readonly unknown[]): string {
    return generateCaddyfile(routes, this.generatorOptions());
  }

  private generatorOptions(): CaddyfileOptions {
    const { caddyfilePath: _p, caddyBin: _b, timeoutMs: _t, load: _l, ...gen } = this.options;
    return gen;
  }

  /**
   * Generates, validates and applies the config for `routes`. Generation runs first and throws
   * `PROXY_CONFIG_INVALID` before any command runs, so a hostile value never reaches the appliance. Caddy refusing
   * the file throws `PROXY_CONFIG_INVALID` (live file untouched); a failed swap or reload throws
   * `PROXY_APPLY_FAILED` (previous file restored, old config still serving). Both carry Caddy's output.
   */
  async apply(routes: readonly unknown[]): Promise<ProxyApplyResult> {
    const { routes: checked, options } = checkProxyInput(routes, this.generatorOptions());
    const content = renderCaddyfile(checked, options);
    const caddy = this.options.caddyBin ?? 'caddy';
    const json = (candidate: string) => `${candidate}.json`;
    const viaJson = (this.options.load ?? 'json') === 'json';
    if (viaJson) {
      const target = json(`${this.path}.proximity-new`);
      const stdin = JSON.stringify(renderCaddyJson(checked, options));
      const w = await this.exec.exec(['sh', '-c', WRITE, 'sh', target], { stdin, timeoutMs: this.options.timeoutMs ?? 60_000 });
      if (w.code !== 0) throw new ProximityError('PROXY_APPLY_FAILED', `Caddyfile: writing ${target} failed (exit ${w.code}): ${w.stderr.trim().slice(-800)}`, { details: w });
    }
    const r = await swapConfigFile(this.exec, {
      what: 'Caddyfile',
      path: this.path,
      content,
      validateArgv: (candidate) =>
        viaJson ? [caddy, 'validate', '--config', json(candidate)] : ['sh', '-c', ADAPT_AND_VALIDATE, 'sh', caddy, candidate, json(candidate)],
      reloadArgv: (candidate) => [caddy, 'reload', '--config', json(candidate)], // JSON is Caddy's native format: no adapter
      scratchFiles: (candidate) => [json(candidate)],
      invalidCode: 'PROXY_CONFIG_INVALID',
      applyCode: 'PROXY_APPLY_FAILED',
      timeoutMs: this.options.timeoutMs,
    });
    return { ...r, routes: routes.length, bytes: Buffer.byteLength(content) };
  }
}
