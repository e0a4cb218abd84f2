// The built-in tool specs (DESIGN §4.5), by name. A profile's command gets the spec named by its
// `tool` (normalised: absent = the spec named like the command, if any; null = none).
import { curl } from './curl.js';
import { gh } from './gh.js';
import { git } from './git.js';
import { kubectl } from './kubectl.js';
import { npm } from './npm.js';
import { tar } from './tar.js';
import type { ToolSpec } from './tool-spec.js';

export const TOOL_SPECS: ReadonlyMap<string, ToolSpec> = new Map([git, gh, kubectl, npm, tar, curl].map((spec) => [spec.name, spec]));

/** The spec a command runs under; throws on a name no spec has (the schema lets none through). */
export function toolSpecFor(command: { name: string; tool: string | null }): ToolSpec | null {
  if (command.tool === null) return null;
  const spec = TOOL_SPECS.get(command.tool);
  if (spec === undefined) {
    throw new Error(`mediation.commands "${command.name}": tool "${command.tool}" is not a built-in tool spec (known: ${[...TOOL_SPECS.keys()].join(', ')}); use one of them or null`);
  }
  return spec;
}
