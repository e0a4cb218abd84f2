// DESIGN §2's example profile as a value, shared by the loader and schema tests.
export const DESIGN_EXAMPLE = {
  extends: ['default'],
  meta: { name: 'github', description: 'gh with brokered credentials' },
  workdir: { access: 'readwrite' },
  filesystem: { read: ['/usr', '/etc'], write: ['$WORKDIR', '/tmp'], read_file: [], write_file: [], deny: ['~/.config/gh', '~/.ssh', '~/.aws'] },
  network: { block: false, allow_domain: ['api.anthropic.com'] },
  mediation: {
    commands: [
      {
        name: 'gh',
        binary_path: '/usr/bin/gh',
        flags_with_values: ['-R', '--repo'],
        intercept: [
          { args_prefix: ['auth', 'token'], action: { type: 'capture' } },
          { args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } },
          { args_prefix: ['repo', 'delete'], action: { type: 'deny', message: 'never' } },
          { args_prefix: ['auth', 'status'], action: { type: 'respond', stdout: 'Logged in\n', exit_code: 0 } },
        ],
        sandbox: {
          fs_read: ['~/.config/gh'],
          fs_read_file: [],
          fs_write: ['$WORKDIR'],
          fs_write_file: [],
          network: { block: false, allowed_hosts: ['api.github.com'] },
          exec: ['/usr/lib/git-core'],
          allow_commands: ['git'],
        },
        credentials: { GH_TOKEN: { file: '~/.config/shimgate/secrets/gh' } },
        caller_policy: { agent_allowed: true, allowed_parents: null },
      },
    ],
    env: { block: ['GH_TOKEN', 'GITHUB_TOKEN'] },
    audit: { commands: ['curl', 'wget'] },
    approval: { timeout_secs: 300 },
  },
};
