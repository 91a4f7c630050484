// The one quoting function: exact output for the rule, refusals, and a round trip through every POSIX shell on
// this machine (the remote login shell is one of them: bash on PVE, dash/busybox elsewhere).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildShellCommand, MAX_COMMAND_BYTES, quoteShellWord } from '../../../src-main/core/ssh/shell-quote';
import { HOSTILE_STRINGS } from '../../integration/ssh/hostile-strings';

const SHELLS = [['/bin/sh'], ['/usr/bin/bash'], ['/usr/bin/dash'], ['/usr/bin/busybox', 'sh'], ['/usr/bin/zsh'], ['/usr/bin/mksh']].filter(([p]) => fs.existsSync(p!));

function runIn(shell: string[], line: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(shell[0]!, [...shell.slice(1), '-c', line], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${shell.join(' ')} failed: ${err.message} ${stderr.toString()}`));
      else resolve(stdout);
    });
  });
}

describe('quoteShellWord', () => {
  it('wraps every word in single quotes and writes a quote as \'\\\'\'', () => {
    expect(quoteShellWord('abc')).toBe("'abc'");
    expect(quoteShellWord('')).toBe("''");
    expect(quoteShellWord("it's")).toBe("'it'\\''s'");
    expect(quoteShellWord("'")).toBe("''\\'''");
    expect(quoteShellWord('$(id) `id` ; *')).toBe("'$(id) `id` ; *'");
    expect(quoteShellWord('a\nb')).toBe("'a\nb'");
  });

  it('refuses NUL, lone surrogates and non-strings with VALIDATION', () => {
    expect(() => quoteShellWord('a\0b')).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/NUL/) }));
    expect(() => quoteShellWord('\ud800x')).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/surrogate/) }));
    expect(() => quoteShellWord('x\udc00')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => quoteShellWord(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(quoteShellWord('😀')).toBe("'😀'"); // a proper surrogate pair is fine
  });
});

describe('buildShellCommand', () => {
  it('joins quoted words with single spaces', () => {
    expect(buildShellCommand(['pct', 'exec', '100', '--', 'echo', "don't"])).toBe("'pct' 'exec' '100' '--' 'echo' 'don'\\''t'");
  });

  it('refuses an empty argv, a NUL in any word (naming its index) and an overlong line', () => {
    expect(() => buildShellCommand([])).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => buildShellCommand(['echo', 'ok', 'bad\0'])).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/word 2/) }));
    expect(() => buildShellCommand(['echo', 'x'.repeat(MAX_COMMAND_BYTES)])).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it.each(SHELLS.map((s) => [s.join(' '), s] as const))('round-trips the hostile corpus byte-exact through %s', async (_name, shell) => {
    const out = await runIn([...shell], buildShellCommand(['printf', '%s\\000', ...HOSTILE_STRINGS]));
    expect(out.equals(Buffer.from(HOSTILE_STRINGS.map((s) => `${s}\0`).join(''), 'utf8'))).toBe(true);
    // and the count proves each arrived as one argument: `$#` of a shell function-free `sh -c`
    const count = await runIn([...shell], buildShellCommand(['sh', '-c', 'echo $#', 'sh', ...HOSTILE_STRINGS]));
    expect(count.toString().trim()).toBe(String(HOSTILE_STRINGS.length));
  });
});
