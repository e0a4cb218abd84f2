// The seam between `shimgate run` and the platform's agent sandbox. Linux has bubblewrap; a macOS
// Seatbelt (sandbox-exec) backend will implement the same interface later.
import { ShimgateError } from '@shimgate/profile';
import { agentSandboxCommand, type AgentSandboxOptions, type SandboxCommand } from './agent-sandbox.js';
import { probeBwrap, probeBwrapAsync, probeUserNamespaces, type ProbeResult } from './probes.js';

export interface AgentSandboxBackend {
  readonly name: string;
  /** Every precondition, each really tried; the sandbox can be built only if all are ok. */
  check(): ProbeResult[];
  /** The same checks, without blocking the event loop (run overlaps them with the session's set-up). */
  checkAsync(): Promise<ProbeResult[]>;
  /** The command that runs opts.command inside the sandbox. */
  wrap(opts: AgentSandboxOptions): SandboxCommand;
}

export const linuxBubblewrapBackend: AgentSandboxBackend = {
  name: 'bubblewrap',
  check: () => [probeUserNamespaces(), probeBwrap()],
  checkAsync: async () => [probeUserNamespaces(), await probeBwrapAsync()],
  wrap: agentSandboxCommand,
};

export function selectBackend(platform: NodeJS.Platform = process.platform): AgentSandboxBackend {
  if (platform === 'linux') return linuxBubblewrapBackend;
  throw new ShimgateError('SANDBOX_UNSUPPORTED', `no agent sandbox backend for ${platform} yet; --unconfined runs without one`);
}
