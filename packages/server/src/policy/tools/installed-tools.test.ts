// The tool specs against the tools installed here (integration: needs git, npm, tar and curl on PATH,
// and fails, naming what is missing, when one is not). The specs are data written from these tools'
// own tables; these tests say when an installed version reads its argv differently.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TOOL_NAMES } from '@shimgate/profile';
import { wordNames } from '../normalize-args.js';
import { listGitCommands } from './git-command-list.js';
import { GIT_SUBCOMMAND_OPTIONS } from './git-options.js';
import { git } from './git.js';
import { TOOL_SPECS } from './index.js';
import { npm } from './npm.js';
import type { Arity, OptionTable } from './option-table.js';
import { curl } from './curl.js';
import { tar } from './tar.js';

function installed(tool: string): string {
  try {
    return realpathSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error(`${tool} is not installed: this test checks the ${tool} tool spec against it (apt-get install ${tool})`);
  }
}

const run = (file: string, args: string[], cwd = '/'): string =>
  execFileSync(file, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: '/nonexistent' } });

/** "--name" / "-x" of `table`, with the arity the spec reads it with. */
function arityIn(table: OptionTable, option: string): Arity | undefined {
  return option.startsWith('--') ? table.long.get(option.slice(2)) : table.short.get(option.slice(1));
}

/** Whether two arities agree on whether the next token is taken (maybe agrees with anything). */
function agree(spec: Arity | undefined, tool: Arity): boolean {
  if (spec === undefined || spec === 'maybe') return true;
  return spec === tool || (spec !== 'required' && tool !== 'required');
}

describe('the spec names', () => {
  it('are the profile\'s TOOL_NAMES and the schema\'s `tool` enum', () => {
    expect([...TOOL_SPECS.keys()].sort()).toEqual([...TOOL_NAMES].sort());
    const schema = JSON.parse(readFileSync(new URL('../../../../../schemas/profile.schema.json', import.meta.url), 'utf8'));
    expect(schema.$defs.command.properties.tool.enum).toEqual([...TOOL_NAMES, null]);
  });
});

describe('git', () => {
  const binary = installed('git');

  it('lists its commands at session start', () => {
    const commands = listGitCommands(binary);
    if ('problem' in commands) throw new Error(commands.problem);
    for (const name of ['push', 'status', 'commit', 'send-pack', 'receive-pack', 'upload-pack', 'fetch-pack']) expect(commands.has(name)).toBe(true);
    expect(commands.has('pp')).toBe(false);
    expect(listGitCommands('/bin/true')).toEqual({ problem: expect.stringContaining('does not list commit, status, push') });
    expect(listGitCommands(null)).toEqual({ problem: 'git was not found at session start' });
  });

  it.each(Object.keys(GIT_SUBCOMMAND_OPTIONS))('reads `git %s` options as `git %s -h` lists them', (subcommand) => {
    const help = (() => {
      try {
        return run(binary, [subcommand, '-h'], '/tmp');
      } catch (err) {
        return String((err as { stdout?: string }).stdout ?? '');
      }
    })();
    const table = GIT_SUBCOMMAND_OPTIONS[subcommand]!;
    const disagreements: string[] = [];
    for (const line of help.split('\n')) {
      const m = /^ {4}((?:-[A-Za-z0-9], )?)(--?[A-Za-z0-9][\w-]*)(.*?)(?: {2,}|$)/.exec(line);
      if (m === null) continue;
      const rest = m[3]!.trim();
      const arity: Arity = rest === '' ? 'none' : rest.startsWith('[=') || (rest.startsWith('[<') && !m[2]!.startsWith('--')) ? 'optional' : 'required';
      for (const option of [m[1]!.replace(/, $/, ''), m[2]!].filter((o) => o !== '')) {
        if (!agree(arityIn(table, option), arity)) disagreements.push(`${option}: spec ${arityIn(table, option)}, git ${arity}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('reads git\'s own options as git.c does (every one of `git -h`\'s usage line is in the table)', () => {
    const usage = (() => {
      try {
        return run(binary, ['-h']);
      } catch (err) {
        return String((err as { stdout?: string }).stdout ?? '');
      }
    })();
    const options = [...usage.matchAll(/\[(-[-\w]+)/g)].map((m) => m[1]!).filter((o) => !['-v', '--version', '-h', '--help'].includes(o));
    expect(options.length).toBeGreaterThan(5);
    for (const option of options) expect(arityIn(git.options, option)).toBeDefined();
  });
});

describe('npm', () => {
  const root = join(dirname(installed('npm')), '..');
  const requireNpm = createRequire(join(root, 'package.json'));
  const { commands, aliases, deref } = requireNpm('./lib/utils/cmd-list.js') as {
    commands: string[];
    aliases: Record<string, string>;
    deref: (c: string) => string | undefined;
  };
  const names = wordNames(npm.subcommands);

  it('reads every command, alias and prefix the way npm does', () => {
    const wrong: string[] = [];
    for (const word of [...commands, ...Object.keys(aliases)]) {
      for (let n = 1; n <= word.length; n++) {
        const prefix = word.slice(0, n);
        const npmReads = deref(prefix);
        if (npmReads !== undefined && !names([], prefix).includes(npmReads)) wrong.push(`${prefix}: npm ${npmReads}, spec ${names([], prefix).join('|')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('knows every option npm reads with a value', () => {
    const definitionsAt = ['node_modules/@npmcli/config/lib/definitions/index.js', 'lib/utils/config/definitions.js'].find((p) => existsSync(join(root, p)));
    if (definitionsAt === undefined) throw new Error(`npm at ${root} keeps its config definitions somewhere new: update this test`);
    const { definitions } = requireNpm(`./${definitionsAt}`) as { definitions: Record<string, { type: unknown }> };
    const missing = Object.entries(definitions)
      .filter(([, def]) => ![def.type].flat().includes(Boolean))
      .map(([name]) => name)
      .filter((name) => npm.options.long.get(name) !== 'required');
    expect(missing).toEqual([]);
  });
});

describe.each<[string, string[], OptionTable]>([
  ['tar', ['--help'], tar.options],
  ['curl', ['--help', 'all'], curl.options],
])('%s', (tool, helpArgs, table) => {
  it(`reads every option of \`${tool} ${helpArgs.join(' ')}\` with the same arity`, () => {
    const help = run(installed(tool), helpArgs);
    const wrong: string[] = [];
    for (const line of help.split('\n')) {
      const m = /^\s{1,8}((?:-[^-\s,], )?)(--?[\w?][\w.-]*)(\[=[^\]]*\]|=\S+|\s<[^>]+>|\s\[\S+)?/.exec(line);
      if (m === null) continue;
      const value = m[3] ?? '';
      const arity: Arity = value === '' ? 'none' : value.startsWith('[=') ? 'optional' : 'required';
      for (const option of [m[1]!.replace(/, $/, ''), m[2]!].filter((o) => o !== '')) {
        const spec = arityIn(table, option);
        if (spec === undefined || !agree(spec, arity)) wrong.push(`${option}: spec ${spec}, ${tool} ${arity}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
