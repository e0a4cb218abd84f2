// Sockets the supervisor's own environment points at: a terminal multiplexer the admin types into
// (tmux, screen) and an ssh agent. The agent sandbox hides their directories, but a session started
// from such a shell is one sandbox escape, or one --unconfined run, away from the admin's keystrokes
// and keys, so `run` and `doctor` say so.

const HOST_SOCKET_VARIABLES: readonly [name: string, what: string][] = [
  ['TMUX', 'a tmux server (an agent that reaches it can type into the admin\'s panes, e.g. "shimgate approve")'],
  ['STY', 'a GNU screen session (an agent that reaches it can type into the admin\'s windows)'],
  ['SSH_AUTH_SOCK', 'an ssh agent (an agent that reaches it can log in wherever your keys can)'],
];

/** One warning per variable set in `env`, naming it and what it leads to. */
export function hostSocketWarnings(env: NodeJS.ProcessEnv): string[] {
  return HOST_SOCKET_VARIABLES.filter(([name]) => env[name]).map(
    ([name, what]) => `${name} is set: this shell can reach ${what}; the agent sandbox hides it, an unconfined session does not`,
  );
}

export const HOST_SOCKET_FIX = 'start agent sessions from a shell outside tmux/screen without an ssh agent (e.g. env -u TMUX -u STY -u SSH_AUTH_SOCK shimgate run …)';
