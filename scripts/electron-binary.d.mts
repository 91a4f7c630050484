/** Types for scripts/electron-binary.mjs (plain JS so `node` runs it without a TypeScript loader). */
export declare function locateElectron(root: string): { version: string; bin: string | null; reason: string | null };
export declare function installElectron(root: string, timeoutMs?: number): { ok: boolean; detail: string };
