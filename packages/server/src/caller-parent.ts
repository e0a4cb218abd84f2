// Who is calling (DESIGN §4.2 step 2): the agent, or a mediated command P whose children call back
// through their shims. A command's SHIMGATE_SANDBOX_CONTEXT is readable by any code the agent makes
// that command run, and the agent could copy it into its own calls; so the context counts only when
// the connecting process (its SO_PEERCRED pid) descends from the process of the command that owns it.
// That command is the server's own child and is not reaped while its context lives (contexts are
// revoked at its exit), so its pid cannot be reused meanwhile; a descendant whose chain is broken (an
// ancestor exited and it was re-parented) no longer counts, which fails towards "the agent".
import { readFileSync } from 'node:fs';
import type { Broker } from './policy/broker.js';
import type { WireText } from './shim-request.js';

/** How far up a process chain is followed: deeper nesting than this is not a real tool's. */
const MAX_ANCESTRY_DEPTH = 64;

export type ParentOf = (pid: number) => number | null;

/** The parent a call may claim: its context's command, if the caller descends from it; else null. */
export function callerParent(context: WireText | undefined, peerPid: number, broker: Broker, parentOf: ParentOf = procParent): string | null {
  if (typeof context !== 'string') return null;
  const parent = broker.contextParent(context);
  const owner = broker.contextPid(context);
  if (parent === null || owner === null) return null;
  return descendsFrom(peerPid, owner, parentOf) ? parent : null;
}

export function descendsFrom(pid: number, ancestor: number, parentOf: ParentOf): boolean {
  let at: number | null = pid;
  for (let depth = 0; at !== null && at > 1 && depth < MAX_ANCESTRY_DEPTH; depth += 1) {
    at = parentOf(at);
    if (at === ancestor) return true;
  }
  return false;
}

/** PPid from /proc/<pid>/stat (after the last ")", since the command name may contain one). */
export function procParent(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}
