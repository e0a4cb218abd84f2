// What git gets, or why it is refused, before it runs with the agent's arguments (DESIGN §4.5).
import { describe, expect, it } from '@jest/globals';
import { hardened } from '../../testing/tool-calls.js';
import { GIT_CONFIG_OVERRIDES, GIT_ENV } from './git.js';
import { hardenGit, refusedConfigKey } from './git-hardening.js';

/** A few of git 2.39's `--list-cmds=builtins,main`. */
const COMMANDS = new Set([
  'add', 'bisect', 'bisect--helper', 'checkout', 'clone', 'commit', 'config', 'credential', 'daemon', 'diff', 'difftool',
  'fetch', 'filter-branch', 'grep', 'help', 'init', 'log', 'ls-remote', 'merge-index', 'mergetool', 'pull', 'push',
  'rebase', 'remote-ext', 'send-email', 'send-pack', 'status', 'submodule', 'archive', 'version',
]);
const git = (line: string): string => hardened('git', line, { gitCommands: COMMANDS });
const refused = (line: string): string => {
  const r = git(line);
  expect(r).toMatch(/^the git tool spec refuses /);
  return r;
};

describe('git hardening: config the caller may not set', () => {
  it.each<[string, string]>([
    ['-c alias.p=push p', '"alias.*"'],
    ['-c Alias.P=push P', '"alias.*"'], // sections and names are case-insensitive
    ['--config-env=alias.p=PUSH p', '--config-env'],
    ['--config-env alias.p=PUSH p', '--config-env'],
    // Any key: it copies a variable of the command's environment, where the credentials are.
    ['--config-env=user.name=TOKEN config user.name', '--config-env'],
    ['--config-env user.name=TOKEN var GIT_AUTHOR_IDENT', '--config-env'],
    ['-c help.autocorrect=immediate psuh', '"help.*"'],
    ['-c include.path=/tmp/evil status', '"include.*"'],
    ['-c includeIf.onbranch:main.path=/tmp/evil status', '"includeif.*"'],
    ['-c credential.helper=!evil fetch', '"credential.*"'],
    ['-c credential.https://github.com.helper=!evil fetch', '"credential.*"'],
    ['-c core.sshCommand=evil fetch', '"core.sshcommand"'],
    ['-c core.fsmonitor=/tmp/evil status', '"core.fsmonitor"'],
    ['-c CORE.HOOKSPATH=/tmp/hooks commit', '"core.hookspath"'],
    ['-c core.pager=evil log', '"core.pager"'],
    ['-c pager.log=evil log', '"pager.*"'],
    ['-c filter.lfs.smudge=evil checkout', '"filter.*"'],
    ['-c diff.bin.textconv=evil log', '"diff.*.textconv"'],
    ['-c diff.external=evil diff', '"diff.external"'],
    ['-c merge.ours.driver=evil merge', '"merge.*.driver"'],
    ['-c remote.origin.uploadpack=evil fetch', '"remote.*.uploadpack"'],
    ['-c protocol.ext.allow=always fetch', '"protocol.*"'],
    ['-c gpg.program=evil commit', '"gpg.*"'],
    ['-c sequence.editor=evil rebase -i', '"sequence.editor"'],
  ])('git %s', (line, pattern) => {
    expect(refused(line)).toContain(pattern);
  });

  it('refuses every key the server pins, so the caller cannot override the override', () => {
    for (const [key] of GIT_CONFIG_OVERRIDES) expect(refusedConfigKey(key)).not.toBeNull();
  });

  it('never shows the value (it may be a secret; refusals are audited)', () => {
    expect(refused('-c credential.helper=store-password-hunter2 fetch')).not.toContain('hunter2');
  });

  it.each(['-c user.name=a -c user.email=b commit -m x', '-c color.ui=never log', '-c alias status', '-c http.extraHeader=X status'])(
    'lets harmless config through: git %s',
    (line) => expect(git(line)).toMatch(/^ok: /),
  );
});

describe('git hardening: subcommands', () => {
  it.each<[string, string]>([
    ['pp', 'not a git built-in or installed command'], // git config alias.pp push; git pp
    ['psuh', 'not a git built-in or installed command'], // autocorrect
    ['difftool', 'difftool.<tool>.cmd'],
    ['mergetool', 'mergetool.<tool>.cmd'],
    ['filter-branch --tree-filter x', 'shell commands'],
    ['send-email x.patch', 'sendemail'],
    ['daemon', 'server'],
    ['remote-ext origin x', 'command in its argument'],
    ['merge-index evil -a', 'merge program'],
    ['credential fill', 'credential helpers'],
    ['help push', 'viewer'],
    ['--help push', 'viewer'],
    ['push --help', 'viewer'],
    ['submodule foreach ls', 'commands git would run'],
    ['bisect run make', 'commands git would run'],
    ['bisect--helper --bisect-run make', 'commands git would run'],
  ])('git %s', (line, why) => {
    expect(refused(line)).toContain(why);
  });

  it('refuses everything when the session could not list git\'s commands', () => {
    const r = hardenGit(['status'], { problem: '/usr/bin/git --list-cmds=builtins,main failed' });
    expect(r).toEqual({ refuse: expect.stringContaining('--list-cmds=builtins,main failed') });
  });

  it.each(['status', 'help', 'help -a', '--help', '--version', 'submodule update --init', 'bisect start', 'config alias.pp push', ''])(
    'lets git %s through',
    (line) => expect(git(line)).toMatch(/^ok: /),
  );
});

describe('git hardening: options that run a program of the caller\'s choosing', () => {
  it.each([
    '--exec-path=/tmp/x push',
    'clone -u evil https://x/r', 'clone --upload-pack=evil https://x/r', 'clone -quevil https://x/r',
    'clone --template=/tmp/t https://x/r',
    'clone -c core.hooksPath=/tmp/h https://x/r', 'clone -ccore.fsmonitor=x https://x/r', 'clone --config=alias.x=y https://x/r',
    'clone --config alias.x=y https://x/r',
    'fetch --upload-pack=evil origin', 'pull --upload-pack evil', 'ls-remote --exec=evil origin',
    'push --receive-pack=evil origin', 'push --exec=evil origin', 'send-pack --exec=evil x',
    'archive --remote=x --exec=evil HEAD',
    'rebase -x make main', 'rebase --exec=make main', 'rebase -ix make main',
    'grep -Oevil pattern', 'grep --open-files-in-pager=evil pattern',
    'log -p --ext-diff', 'diff --ext-diff',
    'config --global user.name x', 'config --system --list',
  ])('git %s', (line) => {
    refused(line);
  });

  it.each(['clone -c user.name=x https://x/r', 'rebase -i main', 'grep -e O pattern', 'grep -eO pattern', 'push -- --exec=x', 'log -- --ext-diff'])(
    'not when the letters mean something else: git %s',
    (line) => expect(git(line)).toMatch(/^ok: /),
  );
});

describe('git hardening: what git runs with', () => {
  it('--no-pager and the overrides first, then the caller\'s args unchanged', () => {
    const r = hardenGit(['-C', 'sub', 'status', '--short'], COMMANDS);
    if ('refuse' in r) throw new Error(r.refuse);
    expect(r.args[0]).toBe('--no-pager');
    expect(r.args.slice(-4)).toEqual(['-C', 'sub', 'status', '--short']);
    const overrides = r.args.slice(1, -4);
    expect(overrides.filter((_, i) => i % 2 === 0).every((a) => a === '-c')).toBe(true);
    for (const setting of ['core.hooksPath=/dev/null', 'core.fsmonitor=false', 'core.pager=cat', 'core.editor=false',
      'sequence.editor=false', 'core.sshCommand=ssh', 'credential.helper=', 'core.askPass=', 'hook.pre-commit.enabled=false']) {
      expect(overrides).toContain(setting);
    }
  });

  it('--no-ext-diff right after diff (diff.external cannot be unset)', () => {
    const r = hardenGit(['-C', 'x', 'diff', 'HEAD'], COMMANDS);
    expect('args' in r && r.args.slice(-5)).toEqual(['-C', 'x', 'diff', '--no-ext-diff', 'HEAD']);
  });

  it('passes bytes that are not UTF-8 through unchanged', () => {
    const name = Buffer.from([0x66, 0xff]);
    const r = hardenGit(['add', name], COMMANDS);
    expect('args' in r && r.args.at(-1)).toBe(name);
  });

  it('the environment: no system or global config, no caller GIT_*, pager, editor or ssh settings', () => {
    expect(GIT_ENV.set).toMatchObject({
      GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_PAGER: 'cat', GIT_EDITOR: 'false',
      GIT_SEQUENCE_EDITOR: 'false', GIT_ASKPASS: '', GIT_ALLOW_PROTOCOL: 'https:http:ssh:file', GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS: '1',
    });
    expect(GIT_ENV.drop).toEqual(expect.arrayContaining(['GIT_*', 'LESS*', 'SSH_*', 'PAGER', 'EDITOR', 'VISUAL']));
  });
});
