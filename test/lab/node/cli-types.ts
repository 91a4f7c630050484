// What the node's `pct` / `pveam` need from the lab, kept minimal so they run against the full emulator
// (in-process `callApi`, as root@pam like the real CLI tools) and against small fakes in unit tests.
import type { LabBackend } from '../backend.js';

/** The extra hooks the netns backend offers; the virtual backend has none of them. */
export interface ExecCapableBackend {
  containerExecArgv(node: string, vmid: number, argv: string[], opts?: { env?: Record<string, string>; cwd?: string }): string[];
  containerPath(node: string, vmid: number, insidePath: string): string;
  isRunning(node: string, vmid: number): boolean | Promise<boolean>;
}

export interface CliHost {
  node: string;
  backend: LabBackend & Partial<ExecCapableBackend>;
  callApi(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params?: Record<string, unknown>): Promise<any>;
  waitTask(upid: string): Promise<string>;
  /** `pveam update` (no API endpoint): refresh the node's template index; false = the update failed */
  updateTemplateIndex?(): boolean;
}

/** One CLI invocation as the thin client sends it. */
export interface CliRequest {
  tool: 'pct' | 'pveam' | 'pveversion';
  args: string[];
  /** the session's working directory, to resolve relative local paths (pct push/pull) */
  cwd: string;
}

/** Either finished output, or a host argv the client must run with inherited stdio (pct exec). */
export type CliResponse =
  | { stdout: string; stderr: string; exitCode: number }
  | { exec: string[] };

/** A PVE CLI `die`: message to stderr, exit code 255 (Perl's exit code for an uncaught die). */
export class CliDie extends Error {
  constructor(message: string, readonly exitCode = 255) {
    super(message);
    this.name = 'CliDie';
  }
}

export class Out {
  stdout = '';
  stderr = '';
  print(s: string): void {
    this.stdout += s.endsWith('\n') ? s : `${s}\n`;
  }
  warn(s: string): void {
    this.stderr += s.endsWith('\n') ? s : `${s}\n`;
  }
  done(exitCode = 0): CliResponse {
    return { stdout: this.stdout, stderr: this.stderr, exitCode };
  }
}
