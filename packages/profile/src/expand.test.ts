import { describe, expect, it } from '@jest/globals';
import { expandProfile, expandString, expansionVariables, type ExpansionContext } from './expand.js';
import { normalizeProfile } from './normalize.js';

const HOME = '/home/ann';

function context(env: Record<string, string | undefined> = {}): ExpansionContext {
  return { workdir: '/src/proj', home: HOME, uid: 1000, user: 'ann', env };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('expansionVariables', () => {
  it('defines the built-ins first, from the context and XDG defaults', () => {
    const vars = expansionVariables(context({ PATH: '/bin' }));
    expect([...vars.keys()].slice(0, 9)).toEqual([
      'WORKDIR', 'HOME', 'TMPDIR', 'UID', 'USER', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME',
    ]);
    expect(Object.fromEntries(vars)).toEqual({
      WORKDIR: '/src/proj',
      HOME,
      TMPDIR: '/tmp',
      UID: '1000',
      USER: 'ann',
      XDG_CONFIG_HOME: `${HOME}/.config`,
      XDG_DATA_HOME: `${HOME}/.local/share`,
      XDG_STATE_HOME: `${HOME}/.local/state`,
      XDG_CACHE_HOME: `${HOME}/.cache`,
      PATH: '/bin',
    });
  });

  it('takes TMPDIR and XDG_* from env when set (and non-empty)', () => {
    const vars = expansionVariables(context({
      TMPDIR: '/var/tmp', XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/data', XDG_STATE_HOME: '/state', XDG_CACHE_HOME: '',
    }));
    expect(vars.get('TMPDIR')).toBe('/var/tmp');
    expect(vars.get('XDG_CONFIG_HOME')).toBe('/cfg');
    expect(vars.get('XDG_DATA_HOME')).toBe('/data');
    expect(vars.get('XDG_STATE_HOME')).toBe('/state');
    expect(vars.get('XDG_CACHE_HOME')).toBe(`${HOME}/.cache`);
  });

  it('lets a built-in beat the env variable of the same name', () => {
    const vars = expansionVariables(context({ HOME: '/elsewhere', WORKDIR: '/nope', USER: 'mallory', UID: '0' }));
    expect(vars.get('HOME')).toBe(HOME);
    expect(vars.get('WORKDIR')).toBe('/src/proj');
    expect(vars.get('USER')).toBe('ann');
    expect(vars.get('UID')).toBe('1000');
  });

  it('has XDG_RUNTIME_DIR only when env sets it', () => {
    expect(expansionVariables(context()).has('XDG_RUNTIME_DIR')).toBe(false);
    expect(expansionVariables(context({ XDG_RUNTIME_DIR: '/run/user/1000' })).get('XDG_RUNTIME_DIR')).toBe('/run/user/1000');
  });

  it('skips env entries whose value is undefined', () => {
    expect(expansionVariables(context({ GONE: undefined })).has('GONE')).toBe(false);
  });
});

describe('expandString', () => {
  const vars = expansionVariables(context({ HOMEDIR: '/hd', LOOP: '$HOME/x', TILDE: '~/t', E: '' }));
  const expand = (text: string): string => expandString(text, vars, HOME);
  const withoutHomedir = expansionVariables(context());

  it.each<[string, string]>([
    ['$HOME', HOME],
    ['${HOME}', HOME],
    ['$HOME/.ssh', `${HOME}/.ssh`],
    ['${HOME}/.ssh', `${HOME}/.ssh`],
    ['a${HOME}b', `a${HOME}b`],
    ['$HOMEDIR', '/hd'],
    ['$HOMEDIR/x', '/hd/x'],
    ['$HOME-x', `${HOME}-x`],
    ['$HOME.d', `${HOME}.d`],
    ['$WORKDIR/build', '/src/proj/build'],
    ['$XDG_CONFIG_HOME/gh', `${HOME}/.config/gh`],
    ['$UID:$USER', '1000:ann'],
    ['[$E]', '[]'],
    // unset: left exactly as written
    ['$NOPE', '$NOPE'],
    ['${NOPE}', '${NOPE}'],
    ['$NOPE/x/${NOPE}', '$NOPE/x/${NOPE}'],
    // lower-case and mixed-case names are never variables
    ['$foo', '$foo'],
    ['${foo}', '${foo}'],
    ['$home', '$home'],
    ['$HOMEdir', '$HOMEdir'],
    ['${HOMEdir}', '${HOMEdir}'],
    // $$ is a literal $
    ['$$', '$'],
    ['$$HOME', '$HOME'],
    ['$$$HOME', `$${HOME}`],
    ['$${HOME}', '${HOME}'],
    ['a$$b', 'a$b'],
    // a $ that starts no reference stays
    ['$', '$'],
    ['a$', 'a$'],
    ['$/x', '$/x'],
    ['$1', '$1'],
    ['${', '${'],
    ['${}', '${}'],
    ['${HOME', '${HOME'],
    ['${HOME:-/x}', '${HOME:-/x}'],
    ['$-$', '$-$'],
    // substituted text is not rescanned
    ['$LOOP', '$HOME/x'],
    ['${LOOP}', '$HOME/x'],
    ['$TILDE', '~/t'],
    // tilde only alone or as ~/ at the start
    ['~', HOME],
    ['~/x', `${HOME}/x`],
    ['~/', `${HOME}/`],
    ['~/$HOME', `${HOME}/${HOME}`],
    ['a~/b', 'a~/b'],
    ['/x/~', '/x/~'],
    ['~user', '~user'],
    ['~user/x', '~user/x'],
    ['~~', '~~'],
    // non-ASCII passes through
    ['/tmp/ünï/日本', '/tmp/ünï/日本'],
    ['$HOME/ünï/日本/🙂', `${HOME}/ünï/日本/🙂`],
    ['~/données', `${HOME}/données`],
    ['', ''],
    ['/usr/bin', '/usr/bin'],
  ])('%s → %s', (text, expected) => {
    expect(expand(text)).toBe(expected);
  });

  it('$HOMEDIR unset stays literal, never <home>DIR', () => {
    expect(expandString('$HOMEDIR', withoutHomedir, HOME)).toBe('$HOMEDIR');
    expect(expandString('${HOMEDIR}/x', withoutHomedir, HOME)).toBe('${HOMEDIR}/x');
  });

  it('$HOME and ${HOME} agree', () => {
    expect(expand('$HOME/a')).toBe(expand('${HOME}/a'));
  });

  it('joins ~/ onto a home that ends in a slash without doubling it', () => {
    expect(expandString('~/x', vars, '/')).toBe('/x');
    expect(expandString('~', vars, '/')).toBe('/');
  });
});

describe('expandProfile', () => {
  const resolved = deepFreeze(normalizeProfile({
    meta: { name: '$HOME', description: '$HOME' },
    filesystem: { read: ['$HOME/r'], write: ['$WORKDIR'], read_file: ['~/f'], write_file: ['${TMPDIR}/w'], deny: ['~/.ssh'] },
    network: { allow_domain: ['$HOME.example'] },
    mediation: {
      commands: [{
        name: '$HOME',
        binary_path: '~/bin/gh',
        flags_with_values: ['$HOME'],
        intercept: [
          { args_prefix: ['$HOME'], args_must_include: ['~/x'], action: { type: 'respond', stdout: '$HOME', stderr: '~' } },
          { action: { type: 'deny', message: '$HOME' } },
        ],
        sandbox: {
          fs_read: ['~/.config/gh'], fs_read_file: ['$HOME/f'], fs_write: ['$WORKDIR'], fs_write_file: ['$TMPDIR/x'],
          exec: ['~/bin/helper', '$WORKDIR/node_modules/.bin', '/usr/lib/git-core'],
          network: { allowed_hosts: ['$HOME'] },
          allow_commands: ['$HOME'],
        },
        credentials: { F: { file: '~/.secret' }, E: { env: '$HOME' }, C: { command: ['$HOME', '~'] } },
        caller_policy: { allowed_parents: ['$HOME'] },
      }, { name: 'plain' }],
      env: { block: ['$HOME'] },
      audit: { commands: ['$HOME'] },
    },
  }));
  const out = expandProfile(resolved, context());
  const gh = out.mediation.commands[0]!;

  it('expands every filesystem path', () => {
    expect(out.filesystem).toStrictEqual({
      read: [`${HOME}/r`], write: ['/src/proj'], read_file: [`${HOME}/f`], write_file: ['/tmp/w'], deny: [`${HOME}/.ssh`],
    });
  });

  it('expands binary_path, args_prefix, args_must_include, sandbox fs_* and exec, and credential files', () => {
    expect(gh.binary_path).toBe(`${HOME}/bin/gh`);
    expect(gh.intercept[0]?.args_prefix).toEqual([HOME]);
    expect(gh.intercept[0]?.args_must_include).toEqual([`${HOME}/x`]);
    expect(gh.sandbox.fs_read).toEqual([`${HOME}/.config/gh`]);
    expect(gh.sandbox.fs_read_file).toEqual([`${HOME}/f`]);
    expect(gh.sandbox.fs_write).toEqual(['/src/proj']);
    expect(gh.sandbox.fs_write_file).toEqual(['/tmp/x']);
    expect(gh.sandbox.exec).toEqual([`${HOME}/bin/helper`, '/src/proj/node_modules/.bin', '/usr/lib/git-core']);
    expect(gh.credentials.F).toEqual({ file: `${HOME}/.secret` });
    expect(out.mediation.commands[1]?.binary_path).toBeNull();
  });

  it('leaves every other field as written', () => {
    expect(out.meta).toStrictEqual({ name: '$HOME', description: '$HOME' });
    expect(out.network.allow_domain).toEqual(['$HOME.example']);
    expect(gh.name).toBe('$HOME');
    expect(gh.flags_with_values).toEqual(['$HOME']);
    expect(gh.intercept[0]?.action).toStrictEqual({ type: 'respond', stdout: '$HOME', stderr: '~' });
    expect(gh.intercept[1]?.action).toStrictEqual({ type: 'deny', message: '$HOME' });
    expect(gh.sandbox.network.allowed_hosts).toEqual(['$HOME']);
    expect(gh.sandbox.allow_commands).toEqual(['$HOME']);
    expect(gh.credentials.E).toEqual({ env: '$HOME' });
    expect(gh.credentials.C).toEqual({ command: ['$HOME', '~'] });
    expect(gh.caller_policy.allowed_parents).toEqual(['$HOME']);
    expect(out.mediation.env.block).toEqual(['$HOME']);
    expect(out.mediation.audit.commands).toEqual(['$HOME']);
  });

  it('returns a new object with the same shape and key order, input untouched', () => {
    expect(out).not.toBe(resolved);
    expect(resolved.filesystem.read).toEqual(['$HOME/r']);
    expect(JSON.stringify(Object.keys(out))).toBe(JSON.stringify(Object.keys(resolved)));
    expect(Object.keys(gh)).toEqual(Object.keys(resolved.mediation.commands[0]!));
    expect(Object.keys(gh.credentials)).toEqual(['F', 'E', 'C']);
    expect(out.mediation.env.block).not.toBe(resolved.mediation.env.block);
  });

  it('is stable: expanding twice with a fixed context gives the same JSON', () => {
    expect(JSON.stringify(expandProfile(resolved, context()))).toBe(JSON.stringify(out));
  });
});
