// What a sandboxed session runs or obeys outside the agent sandbox, and so must be out of the agent's
// reach: if the agent could change any of these, its next mediated call (or the next session) would
// run its code with the server's credentials. `run` refuses to start rather than carry on.
import { ShimgateError } from '@shimgate/profile';

export interface TrustedFile {
  path: string;
  /** What it is, for the refusal message. */
  what: string;
}

export interface TrustedInputs {
  nodeBinary: string;
  installRoot: string;
  /** The runtime root (sessions, their sockets and helper copies) and the state dir (audit, logs). */
  runtimeRoot: string;
  stateDir: string;
  profileSources: readonly string[];
  mediatedBinaries: readonly string[];
}

export function trustedFiles(inputs: TrustedInputs): TrustedFile[] {
  return [
    { path: inputs.nodeBinary, what: 'the node binary that runs shimgate' },
    { path: inputs.installRoot, what: 'shimgate\'s own install (the CLI, node_modules, the shim and the sandbox helper)' },
    // Hidden inside the sandbox, but a writable dir above one could be renamed away and re-made by
    // the agent, and the next session would put its helper copies and audit log into the agent's dir.
    { path: inputs.runtimeRoot, what: 'shimgate\'s runtime dir (sessions, their sockets and program copies)' },
    { path: inputs.stateDir, what: 'shimgate\'s state dir (audit logs)' },
    ...inputs.profileSources.map((path) => ({ path, what: 'a profile file of this session' })),
    ...inputs.mediatedBinaries.map((path) => ({ path, what: 'the real binary of a mediated command' })),
  ];
}

/** Throws, naming every exposed file, when the agent could write any of `trusted`. */
export function refuseAgentWritable(trusted: readonly TrustedFile[], writable: ReadonlySet<string>): void {
  const exposed = trusted.filter((file) => writable.has(file.path));
  if (exposed.length === 0) return;
  throw new ShimgateError(
    'AGENT_CAN_WRITE',
    `the agent could change what the server runs or obeys, so run refuses to start:\n${exposed.map((f) => `- ${f.path}: ${f.what}`).join('\n')}\n` +
      'fix: pick a --workdir outside these paths (not the shimgate checkout itself), and keep them out of filesystem.write/write_file',
  );
}
