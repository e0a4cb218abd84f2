// GNU tar (1.34's `tar --help`; argp: long options abbreviate to any unique prefix, and a first
// argument without a dash is old-style bundled options, "xvf a.tar"). tar has no subcommands: rules
// look at file names, or at options through args_must_include ("--extract", "-x" both work for "-xvf").
//
// Hardening: every option that makes tar run a program of the caller's choosing is refused in every
// spelling (--to-c, -I inside a cluster, I in an old-style bundle); TAR_OPTIONS and TAPE from the
// caller are dropped (they are options and an archive name the rules never see) and tar gets
// --force-local, so "host:file" is never a remote archive reached through rsh.
import { optionTable } from './option-table.js';
import type { ToolSpec } from './tool-spec.js';

const OPTIONS = optionTable(
  [
  '-A --catenate --concatenate', '-c --create', '--delete', '-d --diff --compare', '-r --append',
  '--test-label', '-t --list', '-u --update', '-x --extract --get', '--check-device',
  '-g --listed-incremental=', '-G --incremental', '--hole-detection=', '--ignore-failed-read', '--level=',
  '--no-check-device', '--no-seek', '-n --seek', '--occurrence=?', '--sparse-version=', '-S --sparse',
  '--add-file=', '-C --directory=', '--exclude=', '--exclude-backups', '--exclude-caches',
  '--exclude-caches-all', '--exclude-ignore=', '--exclude-ignore-recursive=', '--exclude-tag=',
  '--exclude-tag-under=', '--exclude-vcs', '--exclude-vcs-ignores', '--no-null', '--no-recursion',
  '--no-unquote', '--no-verbatim-files-from', '--null', '--recursion', '-T --files-from=', '--unquote',
  '--verbatim-files-from', '-X --exclude-from=', '--anchored', '--ignore-case', '--no-anchored',
  '--no-ignore-case', '--no-wildcards', '--no-wildcards-match-slash', '--wildcards', '--wildcards-match-slash',
  '--keep-directory-symlink', '--keep-newer-files', '-k --keep-old-files', '--no-overwrite-dir',
  '--one-top-level=?', '--overwrite', '--overwrite-dir', '--recursive-unlink', '--remove-files',
  '--skip-old-files', '-U --unlink-first', '-W --verify', '--no-ignore-command-error', '-O --to-stdout',
  '--to-command=', '--atime-preserve=?', '--clamp-mtime', '--delay-directory-restore', '--group=',
  '--group-map=', '--mode=', '--mtime=', '-m --touch', '--no-delay-directory-restore', '--no-same-owner',
  '--no-same-permissions', '--numeric-owner', '--owner=', '--owner-map=',
  '-p --preserve-permissions --same-permissions', '--same-owner', '--sort=',
  '-s --preserve-order --same-order', '--acls', '--no-acls', '--no-selinux', '--no-xattrs', '--selinux',
  '--xattrs', '--xattrs-exclude=', '--xattrs-include=', '--force-local', '-f --file=',
  '-F --info-script --new-volume-script=', '-L --tape-length=', '-M --multi-volume', '--rmt-command=',
  '--rsh-command=', '--volno-file=', '-b --blocking-factor=', '-B --read-full-records', '-i --ignore-zeros',
  '--record-size=', '-H --format=', '--old-archive --portability', '--pax-option=', '--posix', '-V --label=',
  '-a --auto-compress', '-I --use-compress-program=', '-j --bzip2', '-J --xz', '--lzip', '--lzma', '--lzop',
  '--no-auto-compress', '--zstd', '-z --gzip --gunzip --ungzip', '-Z --compress --uncompress', '--backup=?',
  '--hard-dereference', '-h --dereference', '-K --starting-file=', '--newer-mtime=',
  '-N --newer --after-date=', '--one-file-system', '-P --absolute-names', '--suffix=', '--strip-components=',
  '--transform --xform=', '--checkpoint=?', '--checkpoint-action=', '--full-time', '--index-file=',
  '-l --check-links', '--no-quote-chars=', '--quote-chars=', '--quoting-style=', '-R --block-number',
  '--show-defaults', '--show-omitted-dirs', '--show-snapshot-field-ranges',
  '--show-transformed-names --show-stored-names', '--totals=?', '--utc', '-v --verbose', '--warning=',
  '-w --interactive --confirmation', '-? --help', '--restrict', '--usage', '--version',
    '--exclude-caches-under', '--exclude-tag-all=', '--ignore-command-error', '-o',
  ],
  { abbreviations: true, unknown: 'maybe' },
);

const RUNS_A_PROGRAM = 'it runs a program of the caller\'s choosing outside the agent sandbox';

export const tar: ToolSpec = {
  name: 'tar',
  summary: 'GNU tar: --to-command, -I/--use-compress-program, --checkpoint-action, -F/--info-script/--new-volume-script, --rsh-command, --rmt-command refused in every spelling; TAR_OPTIONS and TAPE dropped; --force-local',
  layout: 'anywhere',
  options: OPTIONS,
  oldStyleFirstArgument: true,
  hardening: {
    refuseOptions: [
      { options: ['--to-command'], reason: RUNS_A_PROGRAM, fix: 'extract to files (or -O to stdout) and process them with a command of your own' },
      { options: ['-I', '--use-compress-program'], reason: RUNS_A_PROGRAM, fix: 'use -z, -j, -J, --zstd, --lzip, --lzma or --lzop' },
      { options: ['--checkpoint-action'], reason: 'it can run a program (exec=) of the caller\'s choosing', fix: 'use -v or --totals for progress' },
      { options: ['-F', '--info-script', '--new-volume-script'], reason: RUNS_A_PROGRAM },
      { options: ['--rsh-command', '--rmt-command'], reason: RUNS_A_PROGRAM },
    ],
    env: { drop: ['TAR_OPTIONS', 'TAPE', 'POSIXLY_CORRECT'], set: { TAR_OPTIONS: '--force-local' } },
  },
};
