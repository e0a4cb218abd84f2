import { describe, expect, it } from '@jest/globals';
import type { ResolvedProfile } from '@shimgate/profile';
import { buildBwrapArgv, bwrapPathsToStat, isWithin, type BwrapInput, type PathKind } from './bwrap-argv.js';

type Fs = Partial<ResolvedProfile['filesystem']>;
type Case = { fs?: Fs; access?: 'none' | 'read' | 'readwrite'; block?: boolean; binaries?: string[]; hidden?: string[]; runtimeRoot?: string; agentDir?: string; workdir?: string };

const FILES = new Set(['/home/u/.config/gh/hosts.yml', '/home/u/.netrc', '/home/u/work/.env', '/usr/bin/gh', '/usr/bin/git', '/etc/hosts', '/tmp/w/secret.txt', '/usrx/bin/gh', '/home/u/.local/state/shimgate/x']);
const MISSING = new Set(['/nope', '/home/u/.aws', '/usr/bin/kubectl', '/home/u/.cargo/credentials']);

/** Every path is a dir unless listed above; the builder must be told about each one. */
function input(c: Case): BwrapInput {
  const base = {
    profile: {
      workdir: { access: c.access ?? 'readwrite' },
      filesystem: { read: [], write: [], read_file: [], write_file: [], deny: [], ...c.fs },
      network: { block: c.block ?? false, allow_domain: [] },
    },
    workdir: c.workdir ?? '/home/u/work',
    agentDir: c.agentDir ?? '/run/user/1000/shimgate/sessions/s1/agent',
    runtimeRoot: c.runtimeRoot ?? '/run/user/1000/shimgate',
    hiddenDirs: c.hidden ?? [],
    hiddenBinaries: c.binaries ?? [],
  };
  const kinds = new Map<string, PathKind>(bwrapPathsToStat(base).map((p) => [p, MISSING.has(p) ? 'missing' : FILES.has(p) ? 'file' : 'dir']));
  return { ...base, kinds };
}

/** The mounts as short strings: "ro /usr", "rw /tmp", "tmpfs /x", "null /x", "dev /dev", "proc /proc". */
function mounts(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ro-bind' && argv[i + 1] === '/dev/null') out.push(`null ${argv[i + 2]}`);
    else if (a === '--ro-bind' || a === '--bind') {
      expect(argv[i + 1]).toBe(argv[i + 2]);
      out.push(`${a === '--bind' ? 'rw' : 'ro'} ${argv[i + 1]}`);
    } else if (a === '--tmpfs' || a === '--dev' || a === '--proc') out.push(`${a.slice(2)} ${argv[i + 1]}`);
    else continue;
    i += a === '--ro-bind' || a === '--bind' ? 2 : 1;
  }
  return out;
}

const run = (c: Case): string[] => mounts(buildBwrapArgv(input(c)));
const before = (list: string[], a: string, b: string): boolean => list.indexOf(a) >= 0 && list.indexOf(a) < list.indexOf(b);

describe('buildBwrapArgv: namespaces and the end of the options', () => {
  it('always starts a new session in a pid namespace that dies with its parent, and ends with --', () => {
    const argv = buildBwrapArgv(input({}));
    expect(argv.slice(0, 3)).toEqual(['--die-with-parent', '--new-session', '--unshare-pid']);
    expect(argv).not.toContain('--unshare-net');
    expect(argv.slice(-3)).toEqual(['--chdir', '/home/u/work', '--']);
    expect(argv.filter((a) => a === '--')).toHaveLength(1);
  });

  it('adds a network namespace when network.block', () => {
    expect(buildBwrapArgv(input({ block: true }))).toContain('--unshare-net');
  });

  it('gives its own /dev and /proc, ignoring them in the profile lists, after a bind of /', () => {
    const m = run({ fs: { read: ['/', '/proc', '/dev'] } });
    expect(m.slice(0, 3)).toEqual(['ro /', 'dev /dev', 'proc /proc']);
    expect(m).not.toContain('ro /proc');
    expect(m).not.toContain('ro /dev');
  });
});

describe('buildBwrapArgv: binds', () => {
  it.each<[string, Case, string[], string[]]>([
    ['read dirs and files read-only', { fs: { read: ['/usr'], read_file: ['/etc/hosts'] } }, ['ro /usr', 'ro /etc/hosts'], []],
    ['write dirs and files writable', { fs: { write: ['/var/cache'], write_file: ['/home/u/.netrc'] } }, ['rw /var/cache', 'rw /home/u/.netrc'], []],
    ['missing paths dropped', { fs: { read: ['/nope'], write: ['/home/u/.aws'] } }, [], ['ro /nope', 'rw /home/u/.aws']],
    ['write wins over read, once', { fs: { read: ['/srv'], write: ['/srv'] } }, ['rw /srv'], ['ro /srv']],
    ['paths normalised', { fs: { read: ['/usr/', '/opt/./x/../y'] } }, ['ro /usr', 'ro /opt/y'], ['ro /usr/']],
    ['/tmp in write: the host /tmp, writable', { fs: { write: ['/tmp'] } }, ['rw /tmp'], ['tmpfs /tmp']],
    ['/tmp in read only: the host /tmp, read-only', { fs: { read: ['/tmp'] } }, ['ro /tmp'], ['tmpfs /tmp']],
    ['/tmp not listed: a private tmpfs', { fs: { write: ['/tmpx'] } }, ['tmpfs /tmp', 'rw /tmpx'], ['rw /tmp']],
    ['workdir readwrite', { access: 'readwrite' }, ['rw /home/u/work'], []],
    ['workdir read', { access: 'read', fs: { write: ['/home/u/work'] } }, ['ro /home/u/work'], ['rw /home/u/work']],
    ['workdir none', { access: 'none', fs: { write: ['/home/u/work'] } }, [], ['rw /home/u/work', 'ro /home/u/work']],
  ])('%s', (_name, c, present, absent) => {
    const m = run(c);
    for (const p of present) expect(m).toContain(p);
    for (const p of absent) expect(m).not.toContain(p);
  });

  it('mounts parents before children whatever the list order', () => {
    const m = run({ fs: { write: ['/home/u/work/out', '/tmp/w'], read: ['/home/u/work/out/ro', '/home'] }, access: 'read' });
    expect(m.slice(0, 8)).toEqual([
      'dev /dev', 'ro /home', 'proc /proc', 'tmpfs /tmp', 'rw /tmp/w', 'ro /home/u/work', 'rw /home/u/work/out', 'ro /home/u/work/out/ro',
    ]);
  });

  it('changes into the workdir, or / when the workdir is not mounted', () => {
    expect(buildBwrapArgv(input({ access: 'read' })).slice(-3)).toEqual(['--chdir', '/home/u/work', '--']);
    expect(buildBwrapArgv(input({ access: 'none' })).slice(-3)).toEqual(['--chdir', '/', '--']);
  });

  it('hides a workdir with access none that a broader bind would show', () => {
    const m = run({ access: 'none', fs: { read: ['/home'] } });
    expect(before(m, 'ro /home', 'tmpfs /home/u/work')).toBe(true);
  });
});

describe('buildBwrapArgv: hiding', () => {
  it.each<[string, Case, string[], string[]]>([
    ['a deny dir gets a tmpfs, a deny file /dev/null', { fs: { read: ['/home'], deny: ['/home/u/.ssh', '/home/u/.netrc'] } }, ['tmpfs /home/u/.ssh', 'null /home/u/.netrc'], []],
    ['a missing deny path is left out', { fs: { read: ['/home'], deny: ['/home/u/.aws', '/home/u/.cargo/credentials'] } }, [], ['tmpfs /home/u/.aws', 'null /home/u/.cargo/credentials']],
    ['a deny path nothing shows needs no mount', { fs: { read: ['/usr'], deny: ['/home/u/.ssh'] } }, [], ['tmpfs /home/u/.ssh']],
    ['a deny path inside a deny dir is covered already', { fs: { read: ['/home'], deny: ['/home/u/.config/gh', '/home/u/.config'] } }, ['tmpfs /home/u/.config'], ['tmpfs /home/u/.config/gh']],
    ['a deny dir over a bind inside it hides the bind', { fs: { read: ['/home/u/.kube/cache'], deny: ['/home/u/.kube'] } }, ['ro /home/u/.kube/cache', 'tmpfs /home/u/.kube'], []],
    ['a mediated binary under /usr/bin is hidden', { fs: { read: ['/usr'] }, binaries: ['/usr/bin/gh'] }, ['null /usr/bin/gh'], []],
    ['a missing binary is left out', { fs: { read: ['/usr'] }, binaries: ['/usr/bin/kubectl'] }, [], ['null /usr/bin/kubectl']],
    ['a binary nothing shows needs no mount', { fs: { read: ['/usr'] }, binaries: ['/usrx/bin/gh'] }, [], ['null /usrx/bin/gh']],
    ['a hidden dir under a readable home is hidden', { fs: { read: ['/home'] }, hidden: ['/home/u/.local/state/shimgate'] }, ['tmpfs /home/u/.local/state/shimgate'], []],
    ['a hidden file gets /dev/null', { fs: { read: ['/home'] }, hidden: ['/home/u/.local/state/shimgate/x'] }, ['null /home/u/.local/state/shimgate/x'], []],
    ['the runtime root under a readable /run is hidden', { fs: { read: ['/run'] } }, ['tmpfs /run/user/1000/shimgate'], []],
    ['the runtime root nothing shows needs no tmpfs', { fs: { read: ['/usr'] } }, [], ['tmpfs /run/user/1000/shimgate']],
  ])('%s', (_name, c, present, absent) => {
    const m = run(c);
    for (const p of present) expect(m).toContain(p);
    for (const p of absent) expect(m).not.toContain(p);
  });

  it('hides a deny path inside a writable dir, after the writable bind', () => {
    const m = run({ fs: { write: ['/home/u'], deny: ['/home/u/.ssh', '/home/u/work/.env'] } });
    expect(before(m, 'rw /home/u', 'tmpfs /home/u/.ssh')).toBe(true);
    expect(before(m, 'rw /home/u/work', 'null /home/u/work/.env')).toBe(true);
  });

  it('hides the runtime root under a writable /tmp and re-exposes only the agent dir, read-only, last', () => {
    const m = run({ fs: { write: ['/tmp'] }, runtimeRoot: '/tmp/shimgate-0', agentDir: '/tmp/shimgate-0/sessions/s1/agent', workdir: '/tmp/w' });
    expect(m).toEqual(['dev /dev', 'proc /proc', 'rw /tmp', 'rw /tmp/w', 'tmpfs /tmp/shimgate-0', 'ro /tmp/shimgate-0/sessions/s1/agent']);
  });

  it('remounts the hiding tmpfs and bwrap\'s root read-only after the last mount, never /tmp or a bound /', () => {
    const argv = buildBwrapArgv(input({ fs: { read: ['/home', '/run'], deny: ['/home/u/.ssh', '/home/u/.netrc'] } }));
    const last = argv.lastIndexOf('/run/user/1000/shimgate/sessions/s1/agent') + 1;
    expect(argv.slice(last)).toEqual([
      '--remount-ro', '/home/u/.ssh', '--remount-ro', '/run/user/1000/shimgate', '--remount-ro', '/', '--chdir', '/home/u/work', '--',
    ]);
    const tail = (argv: string[]): string[] => argv.slice(argv.indexOf('--chdir') - 2, -3);
    expect(tail(buildBwrapArgv(input({ fs: { write: ['/'] } })))).toEqual(['--remount-ro', '/run/user/1000/shimgate']);
    expect(tail(buildBwrapArgv(input({ fs: { write: ['/usr'] } })))).toEqual(['--remount-ro', '/']);
    expect(buildBwrapArgv(input({})).join(' ')).not.toContain('--remount-ro /tmp');
  });

  it('binds the agent dir read-only last even when nothing else needs hiding', () => {
    const m = run({ fs: { read: ['/usr'] } });
    expect(m[m.length - 1]).toBe('ro /run/user/1000/shimgate/sessions/s1/agent');
  });

  it('hides a bind that a profile placed inside the runtime root', () => {
    const m = run({ fs: { write: ['/run/user/1000/shimgate/sessions'] } });
    expect(before(m, 'rw /run/user/1000/shimgate/sessions', 'tmpfs /run/user/1000/shimgate')).toBe(true);
  });

  it('compares paths component-wise', () => {
    expect(isWithin('/tmp/x', '/tmp')).toBe(true);
    expect(isWithin('/tmpx', '/tmp')).toBe(false);
    expect(isWithin('/tmp', '/tmp')).toBe(true);
    expect(isWithin('/anything', '/')).toBe(true);
    const m = run({ fs: { write: ['/tmpx'], read: ['/usr'] }, runtimeRoot: '/tmp/shimgate-0', agentDir: '/tmp/shimgate-0/a', binaries: ['/usrx/bin/gh'] });
    expect(m).not.toContain('tmpfs /tmp/shimgate-0');
    expect(m).not.toContain('null /usrx/bin/gh');
  });

  it('never mounts the same thing twice', () => {
    const m = run({
      fs: { read: ['/usr', '/usr', '/home', '/run'], write: ['/tmp', '/home/u', '/home/u/work'], deny: ['/home/u/.ssh', '/home/u/.ssh/', '/home/u/.netrc'] },
      binaries: ['/usr/bin/gh', '/usr/bin/gh', '/usr/bin/git'],
      hidden: ['/home/u/.local/state/shimgate', '/run/user/1000/shimgate'],
    });
    expect(new Set(m).size).toBe(m.length);
    expect(new Set(m.map((x) => x.split(' ')[1])).size).toBe(m.length);
  });
});

describe('buildBwrapArgv: refusals', () => {
  it.each<[string, Case, RegExp]>([
    ['a relative path', { fs: { read: ['usr'] } }, /filesystem\.read: "usr" is not an absolute path/],
    ['an unexpanded variable', { fs: { deny: ['$NOPE/x'] } }, /filesystem\.deny: "\$NOPE\/x" is not an absolute path/],
    ['a missing agent dir', { agentDir: '/nope' }, /agent dir \/nope does not exist/],
    ['a missing workdir', { workdir: '/nope' }, /workdir \/nope does not exist/],
    ['a missing hidden dir', { hidden: ['/nope'] }, /hidden dir \/nope does not exist/],
  ])('refuses %s', (_name, c, message) => {
    expect(() => buildBwrapArgv(input(c))).toThrow(message);
  });

  it('accepts a missing workdir when the workdir is not mounted', () => {
    expect(buildBwrapArgv(input({ workdir: '/nope', access: 'none' })).slice(-2)).toEqual(['/', '--']);
  });

  it('refuses a path it was told nothing about instead of guessing', () => {
    const i = input({ fs: { read: ['/usr'] } });
    const kinds = new Map(i.kinds);
    kinds.delete('/usr');
    expect(() => buildBwrapArgv({ ...i, kinds })).toThrow(/nothing is known about \/usr/);
  });
});

describe('capabilities', () => {
  it('drops every capability (bwrap run by root would otherwise leave them all)', () => {
    const argv = buildBwrapArgv(input({}));
    expect(argv.slice(0, argv.indexOf('--cap-drop') + 2)).toEqual(['--die-with-parent', '--new-session', '--unshare-pid', '--unshare-ipc', '--cap-drop', 'ALL']);
  });
});

describe('buildBwrapArgv: frozen dirs (a missing deny path in a read-only tree)', () => {
  const frozen = (c: Case, freezes: BwrapInput['freezes']): string[] => mounts(buildBwrapArgv({ ...input(c), freezes }));
  const cargo = { path: '/home/u/.cargo/bin', entries: [{ name: 'cargo', source: '/home/u/.cargo/bin/cargo' }, { name: 'rustc', source: '/home/u/.cargo/bin/rustc' }] };

  it('replaces a read-only bind by an empty tmpfs with each entry re-bound read-only, sealed at the end', () => {
    const argv = buildBwrapArgv({ ...input({ fs: { read: ['/usr', '/home/u/.cargo/bin'] } }), freezes: [cargo] });
    const m = mounts(argv);
    expect(m).not.toContain('ro /home/u/.cargo/bin');
    expect(before(m, 'tmpfs /home/u/.cargo/bin', 'ro /home/u/.cargo/bin/cargo')).toBe(true);
    expect(m).toContain('ro /home/u/.cargo/bin/rustc');
    expect(argv.join(' ')).toContain('--remount-ro /home/u/.cargo/bin');
  });

  it('freezes a dir inside a read-only bind, before the deny paths inside it are hidden', () => {
    const m = frozen({ fs: { read: ['/home/u'], deny: ['/home/u/.netrc'] } }, [{ path: '/home/u', entries: [{ name: '.netrc', source: '/home/u/.netrc' }] }]);
    expect(before(m, 'tmpfs /home/u', 'ro /home/u/.netrc')).toBe(true);
    expect(before(m, 'ro /home/u/.netrc', 'null /home/u/.netrc')).toBe(true);
  });

  it('leaves a writable bind alone: there the agent could create the path itself', () => {
    const m = frozen({ fs: { write: ['/home/u/.cargo/bin'] } }, [cargo]);
    expect(m).toContain('rw /home/u/.cargo/bin');
    expect(m).not.toContain('tmpfs /home/u/.cargo/bin');
  });
});

describe('buildBwrapArgv: dirs above a hidden path in a writable bind are pinned', () => {
  it('binds each dir between the writable bind and the hidden path onto itself, before the hiding', () => {
    const m = run({ fs: { write: ['/home/u'], deny: ['/home/u/.config/gh/hosts.yml', '/home/u/.netrc'] } });
    expect(m).toEqual(expect.arrayContaining(['rw /home/u/.config', 'rw /home/u/.config/gh']));
    expect(before(m, 'rw /home/u/.config/gh', 'null /home/u/.config/gh/hosts.yml')).toBe(true);
    expect(m.filter((x) => x === 'rw /home/u')).toHaveLength(1); // the bind root itself is a mount point already
  });

  it('never pins a dir a read-only bind shows (that would make it writable)', () => {
    const m = run({ fs: { write: ['/home/u'], read: ['/home/u/.config'], deny: ['/home/u/.config/gh/hosts.yml'] } });
    expect(m).not.toContain('rw /home/u/.config/gh');
    expect(m).toContain('ro /home/u/.config');
  });
});
