import { describe, expect, it } from '@jest/globals';
import { hostSocketWarnings } from './host-sockets.js';

describe('hostSocketWarnings', () => {
  it('is silent without TMUX, STY and SSH_AUTH_SOCK', () => {
    expect(hostSocketWarnings({ PATH: '/bin', TERM: 'xterm' })).toEqual([]);
    expect(hostSocketWarnings({ TMUX: '' })).toEqual([]);
  });

  it('names each variable that is set, in a fixed order', () => {
    const warnings = hostSocketWarnings({ SSH_AUTH_SOCK: '/tmp/ssh-x/agent.1', TMUX: '/tmp/tmux-0/default,1,0', STY: '1.pts-0.host' });
    expect(warnings.map((w) => w.split(' ')[0])).toEqual(['TMUX', 'STY', 'SSH_AUTH_SOCK']);
    expect(warnings[0]).toContain('tmux server');
  });
});
