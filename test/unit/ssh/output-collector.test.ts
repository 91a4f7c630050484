import { describe, expect, it } from 'vitest';
import { OutputCollector, type OutputStream } from '../../../src-main/core/ssh/output-collector';

describe('OutputCollector', () => {
  it('splits lines across chunks per stream, strips CR, flushes the last partial line', () => {
    const lines: [string, OutputStream][] = [];
    const c = new OutputCollector(1000, (l, s) => lines.push([l, s]));
    c.push('stdout', Buffer.from('hel'));
    c.push('stderr', Buffer.from('err1\r\ner'));
    c.push('stdout', Buffer.from('lo\nwor'));
    c.push('stderr', Buffer.from('r2\n'));
    c.push('stdout', Buffer.from('ld'));
    const out = c.finish();
    expect(lines).toEqual([['err1', 'stderr'], ['hello', 'stdout'], ['err2', 'stderr'], ['world', 'stdout']]);
    expect(out).toMatchObject({ truncated: false, totalBytes: 22 });
    expect(out.stdout.toString()).toBe('hello\nworld');
    expect(out.stderr.toString()).toBe('err1\r\nerr2\n');
  });

  it('decodes a UTF-8 character split between chunks', () => {
    const lines: string[] = [];
    const c = new OutputCollector(100, (l) => lines.push(l));
    const bytes = Buffer.from('ü日\n');
    for (const b of bytes) c.push('stdout', Buffer.from([b]));
    c.finish();
    expect(lines).toEqual(['ü日']);
  });

  it('keeps the first maxBytes of both streams together, counts the rest, flags truncation', () => {
    const lines: string[] = [];
    const c = new OutputCollector(10, (l) => lines.push(l));
    c.push('stdout', Buffer.from('1234\n'));
    c.push('stderr', Buffer.from('abcd\nefgh\n'));
    c.push('stdout', Buffer.from('more\n'));
    const out = c.finish();
    expect(out.stdout.toString()).toBe('1234\n');
    expect(out.stderr.toString()).toBe('abcd\n');
    expect(out).toMatchObject({ truncated: true, totalBytes: 20 });
    expect(lines).toEqual(['1234', 'abcd']);
  });

  it('a cap of exactly the output size is not truncation', () => {
    const c = new OutputCollector(4, undefined);
    c.push('stdout', Buffer.from('abcd'));
    expect(c.finish()).toMatchObject({ truncated: false, totalBytes: 4 });
  });
});
