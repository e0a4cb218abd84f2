import { describe, expect, it } from '@jest/globals';
import { refuseAgentWritable, trustedFiles } from './trusted-files.js';

const inputs = { nodeBinary: '/usr/bin/node', installRoot: '/opt/shimgate', runtimeRoot: '/run/user/1/shimgate', stateDir: '/home/u/.local/state/shimgate', profileSources: ['/work/p.json'], mediatedBinaries: ['/usr/bin/gh'] };

describe('trustedFiles', () => {
  it('lists the node binary, the install, the runtime and state dirs, every profile file and every mediated binary', () => {
    expect(trustedFiles(inputs).map((f) => f.path)).toEqual(['/usr/bin/node', '/opt/shimgate', '/run/user/1/shimgate', '/home/u/.local/state/shimgate', '/work/p.json', '/usr/bin/gh']);
  });
});

describe('refuseAgentWritable', () => {
  it('passes when the agent can write none of them', () => {
    expect(() => refuseAgentWritable(trustedFiles(inputs), new Set(['/elsewhere']))).not.toThrow();
  });

  it('names each exposed file and what it is', () => {
    const refuse = () => refuseAgentWritable(trustedFiles(inputs), new Set(['/work/p.json', '/usr/bin/node']));
    expect(refuse).toThrow(/- \/usr\/bin\/node: the node binary/);
    expect(refuse).toThrow(/- \/work\/p\.json: a profile file/);
    expect(refuse).not.toThrow(/\/usr\/bin\/gh/);
  });
});
