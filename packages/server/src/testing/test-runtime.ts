// A SessionRuntime for server tests: a profile naming `binaries`' commands (optionally with their
// own intercept rules), no credentials, no admin.
import { normalizeProfile, type MediatedCommand } from '@shimgate/profile';
import { noAdminGate } from '../approval-gate.js';
import type { SessionRuntime } from '../call-runner.js';
import { createBroker } from '../policy/broker.js';
import { NO_FACTS } from '../policy/tools/hardening.js';

export function testRuntime(
  workdir: string,
  binaries: Record<string, string | null>,
  commands: MediatedCommand[] = Object.keys(binaries).map((name) => ({ name })),
): SessionRuntime {
  return {
    sessionId: 'test',
    workdir,
    profile: normalizeProfile({ mediation: { commands } }),
    binaries: new Map(Object.entries(binaries)),
    sessionEnv: {},
    childPath: () => '/usr/bin:/bin',
    credentials: new Map(),
    broker: createBroker(),
    approvals: noAdminGate,
    toolFacts: () => NO_FACTS,
    // Server tests exercise the protocol; the per-command sandbox has its own tests and the e2e ones.
    sandboxed: (_command, file, argv) => ({ file, argv: [...argv] }),
  };
}
