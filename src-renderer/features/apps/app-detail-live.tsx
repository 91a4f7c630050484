import { Play } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../src-shared/contract/channels';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ErrorNotice } from '../../components/error-notice';

type AppDetail = ChannelOutput<'apps.get'>;
type CommandInfo = ChannelOutput<'commands.list'>[number];
type CommandResult = ChannelOutput<'commands.run'>;
type CommandId = CommandInfo['id'];
type Answer<T> = { value: T; error: null } | { value: null; error: IpcError } | null;

/** Calls `read` once per `key` and keeps main's answer (or its error); null while it is asked. */
function useAnswer<T>(key: string, read: () => Promise<{ ok: true; value: T } | { ok: false; error: IpcError }>): Answer<T> {
  const [answer, setAnswer] = useState<{ key: string; answer: Answer<T> } | null>(null);
  useEffect(() => {
    let live = true;
    void read().then((r) => live && setAnswer({ key, answer: r.ok ? { value: r.value, error: null } : { value: null, error: r.error } }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per key
  }, [key]);
  return answer?.key === key ? answer.answer : null;
}

const MIB = 1024 * 1024;

/**
 * The live status view of one app from `apps.get` { id }: PVE's state (with uptime and memory), the compose
 * runtime, the health check, and the URLs main built (public, canvas, DNS, direct). Asked when shown.
 */
export function AppLiveStatus({ api, appId }: { api: DesktopApi; appId: string }) {
  const answer = useAnswer(`status:${appId}`, () => api.apps.get({ id: appId }));
  if (!answer) return <p className="muted" data-testid="app-live-loading">Asking Proxmox and the app…</p>;
  if (answer.error) return <ErrorNotice error={answer.error} testId="app-live-error" />;
  const d: AppDetail = answer.value;
  const urls = d.urls ? (['public', 'canvas', 'dns', 'direct'] as const).flatMap((k) => (d.urls?.[k] ? [{ kind: k, url: d.urls[k] }] : [])) : [];
  return (
    <dl data-testid="app-live">
      <div className="field">
        <dt>Proxmox</dt>
        <dd data-testid="app-live-pve">
          {d.pve ? `${d.pve.status}${d.pve.uptimeS !== null ? `, up ${Math.round(d.pve.uptimeS / 60)} min` : ''}${d.pve.memBytes !== null && d.pve.maxMemBytes ? `, ${Math.round(d.pve.memBytes / MIB)} of ${Math.round(d.pve.maxMemBytes / MIB)} MiB` : ''}` : 'not reported (no container on a connected cluster)'}
        </dd>
      </div>
      <div className="field">
        <dt>Services</dt>
        <dd data-testid="app-live-runtime">{d.runtime ? `${d.runtime.status}: ${d.runtime.detail}` : 'not reported'}</dd>
      </div>
      <div className="field">
        <dt>Health</dt>
        <dd data-testid="app-live-health">{d.health ? `${d.health.healthy ? 'healthy' : 'unhealthy'} (${d.health.url}): ${d.health.detail}` : 'not checked'}</dd>
      </div>
      {urls.length > 0 && (
        <div className="field">
          <dt>URLs{d.urls?.mode === 'fallback' ? ' (fallback network)' : ''}</dt>
          <dd className="stack" data-testid="app-live-urls">
            {urls.map((u) => (
              <span key={u.kind} className="copy-line">
                <span className="muted">{u.kind}</span> <span className="mono">{u.url}</span>
                <CopyButton text={u.url} label={`Copy ${u.url}`} />
              </span>
            ))}
          </dd>
        </div>
      )}
    </dl>
  );
}

function CommandOutput({ result }: { result: CommandResult }) {
  return (
    <div className="stack" data-testid={`command-output-${result.commandId}`} data-exit-code={result.exitCode ?? ''}>
      <p className="muted">
        exit code {result.exitCode ?? 'none'} · {result.durationMs} ms{result.truncated ? ' · output truncated' : ''}
      </p>
      <pre className="mono log-view">{result.stdout || result.stderr || '(no output)'}</pre>
      {result.stdout && result.stderr && <pre className="mono log-view">{result.stderr}</pre>}
    </div>
  );
}

/** Runs one safe command (`commands.run` { appId, commandId, params: {} }: main applies each parameter's default). */
function useCommandRunner(api: DesktopApi, appId: string) {
  const [state, setState] = useState<{ id: CommandId; running: boolean; result: CommandResult | null; error: IpcError | null } | null>(null);
  const run = async (commandId: CommandId) => {
    setState({ id: commandId, running: true, result: null, error: null });
    const r = await api.commands.run({ appId, commandId, params: {} });
    setState({ id: commandId, running: false, result: r.ok ? r.value : null, error: r.ok ? null : r.error });
  };
  return { state, run };
}

/** The app's safe commands (`commands.list`), each runnable, with its output or main's refusal. */
export function AppCommands({ api, appId }: { api: DesktopApi; appId: string }) {
  const answer = useAnswer(`commands:${appId}`, () => api.commands.list({ appId }));
  const { state, run } = useCommandRunner(api, appId);
  if (!answer) return <p className="muted">Loading the commands…</p>;
  if (answer.error) return <ErrorNotice error={answer.error} testId="app-commands-error" />;
  return (
    <div className="stack" data-testid="app-commands">
      <ul className="stack">
        {answer.value.map((c) => (
          <li key={c.id} className="copy-line" data-testid={`command-${c.id}`}>
            <Button size="sm" icon={<Play size={14} aria-hidden />} disabled={state?.running} onClick={() => void run(c.id)} data-testid={`run-command-${c.id}`}>
              {c.title}
            </Button>
            <span className="muted">{c.description}</span>
          </li>
        ))}
      </ul>
      {state?.running && <p className="muted">Running {state.id}…</p>}
      {state?.error && <ErrorNotice error={state.error} testId="command-error" />}
      {state?.result && <CommandOutput result={state.result} />}
    </div>
  );
}

/** The app's logs: the `logs` safe command (last 100 lines of every service), run when the tab opens and on demand. */
export function AppLogs({ api, appId }: { api: DesktopApi; appId: string }) {
  const { state, run } = useCommandRunner(api, appId);
  useEffect(() => {
    void run('logs');
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per app
  }, [appId]);
  return (
    <div className="stack" data-testid="app-logs">
      <div className="form-actions">
        <Button size="sm" disabled={state?.running} onClick={() => void run('logs')} data-testid="refresh-logs">
          Refresh
        </Button>
      </div>
      {state?.running && <p className="muted">Reading the logs…</p>}
      {state?.error && <ErrorNotice error={state.error} testId="logs-error" />}
      {state?.result && <CommandOutput result={state.result} />}
    </div>
  );
}
