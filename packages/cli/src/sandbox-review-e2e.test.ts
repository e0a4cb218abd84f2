// The agent sandbox attacked where a review of it found holes: symlinks (a mediated binary reached
// through one, links inside a frozen dir, a deny name that is a link), renaming a dir above a hidden
// path, shimgate's own dirs inside a writable tree, and the coding agents' own config files.
// Real `shimgate run` sessions in real bwrap.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { waitUntil } from '../../server/src/testing/process-tree.js';
import { startAgentProcess } from './testing/cli-processes.js';
import { SessionFixture } from './testing/session-fixture.js';

const fx = new SessionFixture();
const home = join(fx.root, 'home');
mkdirSync(home, { recursive: true });
afterAll(() => fx.cleanup());

describe('the claude-code and codex profiles keep the agent\'s own config read-only', () => {
  it.each([
    ['claude-code', ['.claude/settings.json', '.claude/settings.local.json', '.claude/hooks/pre.sh', '.claude.json'], '.claude/projects'],
    ['codex', ['.codex/config.toml', '.codex/AGENTS.md'], '.codex/sessions'],
  ])('%s: settings, hooks and MCP config cannot be written or created; the state dir can', (name, configs, stateDir) => {
    const home = join(fx.root, `home-${name}`);
    for (const file of configs) {
      mkdirSync(dirname(join(home, file)), { recursive: true });
      writeFileSync(join(home, file), 'ORIGINAL');
    }
    mkdirSync(join(home, stateDir), { recursive: true });
    const configDir = dirname(join(home, configs[0]!));
    const script = [
      ...configs.map((f) => `echo HIJACKED >> ${home}/${f} 2>/dev/null && echo "wrote ${f}"`),
      `echo '{"hooks":{}}' > ${configDir}/new-settings.json 2>/dev/null && echo created-new-config`,
      `echo state > ${home}/${stateDir}/s.json && echo state-ok`,
    ].join('; ');
    const r = fx.agent(name, script, { confined: true, env: { HOME: home } });
    expect(r.stdout).toBe('state-ok\n');
    for (const file of configs) expect(readFileSync(join(home, file), 'utf8')).toBe('ORIGINAL');
    expect(existsSync(join(configDir, 'new-settings.json'))).toBe(false);
  });
});

describe('attacks from the review of this sandbox', () => {
  it('a mediated binary reached through a symlink in the workdir cannot be swapped by the agent', () => {
        const real = fx.script('realtool', 'echo "real tool ran"');
    symlinkSync(real, join(fx.work, 'tool-link'));
    const p = fx.profile({ extends: 'default', mediation: { commands: [{ name: 'linked', binary_path: join(fx.work, 'tool-link') }] } }, 'linked.json');
    const r = fx.agent(p, 'rm tool-link; printf "#!/bin/sh\\necho PWNED\\n" > tool-link; chmod +x tool-link; linked', { confined: true, env: { HOME: home } });
    expect(r.stdout).toBe('real tool ran\n');
  });

  it('a frozen dir keeps its symlinks as links: a link to a hidden file or a deny name that is a link shows nothing', () => {
    const home = join(fx.root, 'home-ro');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    mkdirSync(join(home, 'dotfiles'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'id_rsa'), 'SSH-KEY-SECRET');
    writeFileSync(join(home, 'dotfiles', 'pgpass'), 'PGPASS-SECRET');
    symlinkSync('dotfiles/pgpass', join(home, '.pgpass'));
    symlinkSync('.ssh/id_rsa', join(home, 'key-link'));
    writeFileSync(join(home, 'readme'), 'visible');
    const p = fx.profile({ extends: 'default', filesystem: { read: [home], deny: [`${home}/.pgpass`, `${home}/.ssh/`, `${home}/not-yet`] } }, 'home-ro.json');
    const r = fx.agent(p, `cat ${home}/.pgpass ${home}/key-link ${home}/readme 2>/dev/null; echo; cat ${home}/dotfiles/pgpass 2>/dev/null; echo end`, { confined: true, env: { HOME: home } });
    expect(r.stdout).not.toMatch(/SECRET/);
    expect(r.stdout).toBe('visible\nend\n');
  });

  it('in a writable home, the dirs above a deny path cannot be renamed away to expose it later', async () => {
        const home = join(fx.root, 'home-rw');
    mkdirSync(join(home, '.config', 'git'), { recursive: true });
    writeFileSync(join(home, '.config', 'git', 'config'), '[user]\n');
    mkdirSync(join(home, '.cargo'), { recursive: true });
    symlinkSync('../notes/cargo-tok', join(home, '.cargo', 'credentials.toml')); // planted earlier; target missing
    const p = fx.profile({ extends: 'default', filesystem: { write: [home] } }, 'home-rw.json');
    const agent = startAgentProcess({ ...fx.env, HOME: home }, p, fx.work, [
      `mv ${home}/.config ${home}/.config.old && echo renamed-config; mv ${home}/.config/git ${home}/.config/git.old && echo renamed-git`,
      'until [ -e go ]; do sleep 0.05; done',
      `cat ${home}/.config/git/credentials ${home}/.cargo/credentials.toml ${home}/notes/cargo-tok 2>/dev/null; echo end`,
    ].join('; '));
    await waitUntil(() => existsSync(join(home, 'notes', 'cargo-tok')) && existsSync(join(home, '.config', 'git', 'credentials')), 'the placeholders');
    writeFileSync(join(home, '.config', 'git', 'credentials'), 'https://u:GITCRED-SECRET@example.com');
    writeFileSync(join(home, 'notes', 'cargo-tok'), 'CARGO-SECRET');
    writeFileSync(join(fx.work, 'go'), '');
    const result = await agent.done;
    expect(result.stdout).not.toMatch(/SECRET|renamed/);
    expect(result.stdout).toBe('end\n');
    expect(existsSync(join(home, '.config.old'))).toBe(false);
  });

  it('refuses a profile that lets the agent write above the runtime root or the state dir', () => {
    const marker = join(fx.root, 'agent-ran');
    for (const [dir, what] of [['state', /shimgate's state dir/], ['run', /shimgate's runtime dir/]] as const) {
      const p = fx.profile({ extends: 'default', filesystem: { write: [join(fx.root, dir)] } }, `${dir}-writable.json`);
      const r = fx.agent(p, `touch ${marker}`, { confined: true, env: { HOME: home } });
      expect(r.stderr).toMatch(what);
      expect(existsSync(marker)).toBe(false);
    }
  });
});
