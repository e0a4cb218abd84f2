// tar under its tool spec: every spelling of the options that run programs is refused.
import { describe, expect, it } from '@jest/globals';
import { deny, hardened, verdict } from '../../testing/tool-calls.js';
import { tar } from './tar.js';

describe('tar hardening: options that run a program, in every spelling', () => {
  it.each<[string, string]>([
    ['-xf a.tar --to-command=sh', '--to-command'],
    ['-xf a.tar --to-command sh', '--to-command'],
    ['-xf a.tar --to-c=sh', '--to-command'], // GNU unique prefix
    ['-xf a.tar --to-com sh', '--to-command'],
    ['-xf a.tar --to=sh', '--to-command'], // ambiguous (--to-command, --to-stdout, --totals): every candidate counts
    ['-xf a.tar -I ./evil', '-I'],
    ['-xIevil -f a.tar', '-I'], // inside a cluster
    ['xIf ./evil a.tar', '-I'], // old-style bundle
    ['-cf a.tar --use-compress-program=./evil .', '--use-compress-program'],
    ['-cf a.tar --use-comp=./evil .', '--use-compress-program'],
    ['-cf a.tar --checkpoint=1 --checkpoint-action=exec=sh .', '--checkpoint-action'],
    ['-cf a.tar --checkpoint-a=exec=sh .', '--checkpoint-action'],
    ['-cMf a.tar -F ./evil .', '-F'],
    ['cMFf ./evil a.tar .', '-F'],
    ['-cf a.tar --info-script=./evil .', '--info-script'],
    ['-cf a.tar --new-volume-script=./evil .', '--new-volume-script'],
    ['-cf host:a.tar --rsh-command=./evil .', '--rsh-command'],
    ['-cf host:a.tar --rmt-command=./evil .', '--rmt-command'],
    ['-xf a.tar --files-from -- --to-command=sh', '--to-command'], // an option may take "--": fail closed
  ])('tar %s', (line, option) => {
    expect(hardened('tar', line)).toMatch(new RegExp(`^the tar tool spec refuses .*${option}`));
  });

  it.each([
    '-xzf a.tar.gz', 'xzf a.tar.gz', '-cf a.tar --checkpoint=10 .', '-xf a.tar -- --to-command=sh', '--list -f a.tar',
    '-tf a.tar --totals', '-xf a.tar -C dir', '-cf a.tar --zstd .',
  ])('lets tar %s through', (line) => {
    expect(hardened('tar', line)).toBe(`ok: ${line}`);
  });

  it('drops TAR_OPTIONS and TAPE of the caller, and forces --force-local', () => {
    expect(tar.hardening?.env).toEqual({ drop: ['TAR_OPTIONS', 'TAPE', 'POSIXLY_CORRECT'], set: { TAR_OPTIONS: '--force-local' } });
  });
});

describe('tar matching: options spelled out for args_must_include', () => {
  it.each<[string, string]>([
    ['-xvf a.tar', 'deny'],
    ['xvf a.tar', 'deny'],
    ['--extract -f a.tar', 'deny'],
    ['--ext -f a.tar', 'deny'], // abbreviation
    ['--get -f a.tar', 'default'], // an alias of --extract in GNU tar, a different spelling for rules
    ['-tvf a.tar', 'default'],
  ])('tar %s → %s', (line, expected) => {
    expect(verdict('tar', [deny([], ['-x']), deny([], ['--extract'])], line)).toBe(expected);
  });
});
