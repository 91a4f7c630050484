// The texts a node prints when a template download is cut short or a template in storage does not unpack.
// Sources: pve-common PVE::Tools download_file_from_url / run_command / cmd2string (String::ShellQuote),
// pve-container PVE::LXC::Create restore_tar_archive, PVE::LXC::parse_id_maps / userns_command,
// pve-storage PVE::Storage::Plugin @COMMON_TAR_FLAGS.

/**
 * SIGINT while wget runs: download_file_from_url's handler dies inside run_command(errmsg => "download
 * failed"), so the task ends `download failed: got interrupted by signal`.
 */
export function templateDownloadInterruptedMessage(): string {
  return 'download failed: got interrupted by signal';
}

/** GNU tar's decompression flag per archive suffix (restore_tar_archive's %compression_map). */
const COMPRESSION: Record<string, string> = { '.gz': '-z', '.bz2': '-j', '.xz': '-J', '.lzo': '--lzop', '.zst': '--zstd' };

const COMMON_TAR_FLAGS = [
  '--one-file-system', '-p', '--sparse', '--numeric-owner', '--acls', '--xattrs', '--xattrs-include=user.*',
  '--xattrs-include=security.capability', '--warning=no-file-ignored', '--warning=no-xattr-write',
];

/** String::ShellQuote as PVE's cmd2string uses it: words made only of safe characters stay bare. */
function shellQuote(word: string): string {
  return /^[\w/.,:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The tar command line restore_tar_archive runs for `archive` (an unprivileged CT maps ids 0 -> 100000). */
export function extractCommand(vmid: number, archive: string, unprivileged: boolean): string[] {
  const ext = /\.tar(\.[^.]+)?$/.exec(archive)?.[1];
  const compression = ext ? [COMPRESSION[ext] ?? '-a'] : [];
  const userns = unprivileged ? ['lxc-usernsexec', '-m', 'u:0:100000:65536', '-m', 'g:0:100000:65536', '--'] : [];
  return [
    ...userns, 'tar', 'xpf', '-', ...compression, '--totals', ...COMMON_TAR_FLAGS,
    '-C', `/var/lib/lxc/${vmid}/rootfs`, '--skip-old-files', '--anchored', '--exclude', './dev/*',
  ];
}

/** `command '<cmd2string>' failed: exit code 2` — what run_command dies with when tar fails. */
export function extractFailedMessage(vmid: number, archive: string, unprivileged: boolean): string {
  return `command '${extractCommand(vmid, archive, unprivileged).map(shellQuote).join(' ')}' failed: exit code 2`;
}

/** What the decompressor and tar print (into the task log) for a corrupt archive. */
export function corruptArchiveLog(archive: string): string[] {
  const decompressor = archive.endsWith('.zst')
    ? '/*stdin*\\ : Decoding error (36) : Corrupted block detected'
    : archive.endsWith('.xz')
      ? 'xz: (stdin): Compressed data is corrupt'
      : 'gzip: stdin: invalid compressed data--format violated';
  return [decompressor, 'tar: Unexpected EOF in archive', 'tar: Error is not recoverable: exiting now'];
}
