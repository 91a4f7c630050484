// Public shapes of the PVE API schema validator (shared with the emulator's HTTP layer and the cluster state).

export type SchemaVersion = '8.4' | '9.1';

/** One method of the flat schema (`{"METHOD /path": info}`), as PVE's api-viewer dumps it. */
export interface EndpointInfo {
  name?: string;
  description?: string;
  parameters?: any;
  returns?: any;
  permissions?: any;
  protected?: number;
  proxyto?: string;
  allowtoken?: number;
}

export interface ResolvedRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** schema template, e.g. `/nodes/{node}/lxc/{vmid}/config` */
  template: string;
  /** decoded values of the `{vars}` of the template */
  pathParams: Record<string, string>;
  info: EndpointInfo;
}

export type ValidationResult =
  | { ok: true; params: Record<string, any> }
  | { ok: false; errors: Record<string, string> };

export interface ValidateOptions {
  encoding?: 'form' | 'json';
}

export interface PveSchema {
  version: SchemaVersion;
  /**
   * Match a concrete path (no /api2/json prefix, no query, already URI-unescaped as pve-http-server does) to a
   * schema template; literal segments win over {vars}. null => PVE's 501 "Method 'GET /x' not implemented".
   */
  resolve(method: string, path: string): ResolvedRoute | null;
  /**
   * Validate path+query+body params (already merged; strings or string[] from form/query encoding, or JSON values
   * when encoding==='json') against the endpoint's `parameters`. Returns coerced params: integers/numbers as
   * numbers, booleans as 0|1 numbers, arrays for repeated keys where type is array, strings otherwise.
   */
  validate(route: ResolvedRoute, params: Record<string, unknown>, opts?: ValidateOptions): ValidationResult;
  /** Validate a response value against `returns` (lenient). Returns a list of problems ([] = fine). */
  checkReturns(route: ResolvedRoute, data: unknown): string[];
}

export interface RecordedRequest {
  method: string;
  /** full path, possibly with `/api2/json` prefix and a query string; URI-escaped or already unescaped */
  path: string;
  params: Record<string, unknown>;
  encoding?: 'form' | 'json';
}
