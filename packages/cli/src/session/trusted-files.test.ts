import { describe, expect, it } from '@jest/globals';
import { refuseAgentWritable, trustedFiles } from './trusted-files.js';

const inputs = { nodeBinary: '/usr/bin/node', installRoot: '/opt/shimgate', profileSources: ['/work/p.json'], mediatedBinaries: ['/usr/bin/gh'] };

describe('trustedFiles', () => {
  it('lists the node binary, the install, every profile file and every mediated binary', () => {
    expect(trustedFiles(inputs).map((f) => f.path)).toEqual(['/usr/bin/node', '/opt/shimgate', '/work/p.json', '/usr/bin/gh']);
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
