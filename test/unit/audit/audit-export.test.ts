import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/core/audit/audit-log';
import { auditToCsv, csvCell, exportAudit } from '../../../src-main/core/audit/audit-export';
import { openDatabase, type ProximityDatabase } from '../../../src-main/core/store/database';

describe('audit export', () => {
  let dir: string | undefined;
  let db: ProximityDatabase | undefined;
  afterEach(() => {
    db?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    db = undefined;
    dir = undefined;
  });
  function open(): AuditLog {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-export-'));
    const opened = openDatabase({ file: path.join(dir, 'p.db') });
    db = opened;
    return new AuditLog(opened.handle, { now: () => new Date('2026-11-30T08:00:00Z') });
  }

  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
  });

  it('exports every entry oldest first as CSV and JSON, across pages', () => {
    const audit = open();
    for (let i = 0; i < 1205; i++) audit.append({ actor: 'operator', action: 'apps.deploy', target: `app-${i}`, details: { i, note: 'a,"b"' } });
    const csv = exportAudit(audit, 'csv', new Date('2026-11-30T09:00:00Z'));
    expect(csv).toMatchObject({ filename: 'proximity-audit-2026-11-30.csv', rows: 1205 });
    const lines = csv.content.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,action,target,details');
    expect(lines[1]).toBe('1,2026-11-30T08:00:00.000Z,operator,apps.deploy,app-0,"{""i"":0,""note"":""a,\\""b\\""""}"');
    expect(lines).toHaveLength(1206);
    const json = exportAudit(audit, 'json');
    const parsed = JSON.parse(json.content) as { id: number; details: { i: number } }[];
    expect(parsed.map((e) => e.details.i)).toEqual(Array.from({ length: 1205 }, (_, i) => i));
    expect(() => exportAudit(audit, 'xml' as never)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it('writes a header even for an empty log', () => {
    expect(auditToCsv([])).toBe('id,at,actor,action,target,details\r\n');
  });
});
