// THE one place where a remote command line is made. Every command Proximity runs on a node goes through
// `buildShellCommand(argv)`; nothing else in the code base may concatenate text into a command string.
//
// Why a string at all: SSH's `exec` request carries ONE string, which sshd hands to the login shell as
// `$SHELL -c <string>` (root's shell on a PVE node is bash; dash, zsh and busybox sh treat the output the same
// way). So argv must be re-encoded so that the remote shell splits it back into exactly the same words.
//
// The rule (POSIX XCU 2.2.2 "Single-Quotes"): inside '...' every byte is literal, with no exception; the only
// thing that cannot appear inside is ' itself. So each word becomes ' + word-with-each-'-replaced-by-'\'' + '.
// `'\''` closes the quote, adds one backslash-escaped quote (XCU 2.2.1), and reopens it. Every word is quoted,
// even "safe" ones: one rule with no exceptions is what makes the function auditable (e.g. a bare `=cmd` is
// expanded by zsh, a bare `~x` by every shell, a bare `a*` is a glob).
//
// What single quotes cannot carry, and is therefore refused rather than mangled:
//   - NUL: C strings (argv, the exec request as sshd passes it on) end at the first NUL byte, so the word would
//     arrive truncated;
//   - lone UTF-16 surrogates: SSH sends the string as UTF-8, where they have no encoding (they would arrive as
//     U+FFFD, i.e. changed).
// Everything else arrives byte-exact: newlines, control bytes, $(), backticks, ;, |, globs, ~, leading dashes
// (the shell does not interpret them; a callee's option parser might, so callers put `--` where the callee
// supports it), the empty string (becomes '').
//
// Rules for callers: argv[0] is a program, not a shell builtin (NodeSshClient runs it under `env` and
// `timeout`); never put a secret in argv (it is visible in `ps` on the node and in error details);
// pass it on stdin instead. Keep fixed shell scripts (`sh -c '<constant>' sh "$1"...`) constant: values go in
// as positional arguments, never into the script text.
import { ProximityError } from '../errors';

/** Longest command line accepted, in bytes (Linux ARG_MAX is 2 MiB; stay well below it for one exec request). */
export const MAX_COMMAND_BYTES = 256 * 1024;

/**
 * Quotes one word for a POSIX shell: `'` + word (each `'` written as `'\''`) + `'`.
 * Throws ProximityError `VALIDATION` for a non-string, a NUL character or a lone surrogate (see file header).
 */
export function quoteShellWord(word: string): string {
  assertQuotable(word);
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Builds the command string for an SSH `exec` request from an argv array: every element quoted by
 * `quoteShellWord` and joined by single spaces. The remote shell runs argv[0] with argv[1..] as its arguments,
 * each exactly as given.
 * Throws ProximityError `VALIDATION` for an empty argv, a non-string element, a NUL, a lone surrogate, or a
 * command longer than MAX_COMMAND_BYTES.
 */
export function buildShellCommand(argv: readonly string[]): string {
  if (!Array.isArray(argv) || argv.length === 0) {
    throw new ProximityError('VALIDATION', 'A remote command needs at least one word (the program to run).');
  }
  const line = argv.map((w, i) => {
    try {
      return quoteShellWord(w);
    } catch (e) {
      if (e instanceof ProximityError) {
        throw new ProximityError('VALIDATION', `Remote command word ${i}: ${e.message}`, { details: { index: i }, cause: e });
      }
      throw e;
    }
  }).join(' ');
  const bytes = Buffer.byteLength(line, 'utf8');
  if (bytes > MAX_COMMAND_BYTES) {
    throw new ProximityError('VALIDATION', `The remote command is ${bytes} bytes long; the limit is ${MAX_COMMAND_BYTES}. Pass large data on stdin.`, {
      details: { bytes, limit: MAX_COMMAND_BYTES },
    });
  }
  return line;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function assertQuotable(word: unknown): asserts word is string {
  if (typeof word !== 'string') {
    throw new ProximityError('VALIDATION', `A command word must be a string, got ${word === null ? 'null' : typeof word}.`);
  }
  if (word.includes('\0')) {
    throw new ProximityError('VALIDATION', 'A command word contains a NUL character, which cannot be passed to a program.');
  }
  if (LONE_SURROGATE.test(word)) {
    throw new ProximityError('VALIDATION', 'A command word contains a lone UTF-16 surrogate, which has no UTF-8 encoding.');
  }
}
