import { describe, expect, it } from '@jest/globals';
import { childEnvironment, isDangerousEnvName } from './child-env.js';

describe('isDangerousEnvName', () => {
  it.each([
    'PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'NODE_OPTIONS', 'BASH_ENV', 'ENV',
    'SHIMGATE_SANDBOX_CONTEXT', 'SHIMGATE_SOCKET', 'BASH_FUNC_ls%%', 'https_proxy', 'HTTPS_PROXY', 'all_proxy',
    'HOME', 'XDG_CONFIG_HOME', 'GH_CONFIG_DIR', 'KUBECONFIG', 'PAGER', 'GIT_TRACE_CURL', 'SSL_CERT_FILE',
    'GIT_CONFIG_KEY_0', 'JAVA_TOOL_OPTIONS',
  ])('%s is refused', (name) => {
    expect(isDangerousEnvName(name)).toBe(true);
  });

  it.each(['LANG', 'LC_ALL', 'TERM', 'TZ', 'GH_REPO', 'GIT_AUTHOR_NAME', 'CI', 'path'])('%s passes', (name) => {
    expect(isDangerousEnvName(name)).toBe(name === 'path');
  });
});

describe('childEnvironment', () => {
  it('drops dangerous caller names, keeps the rest, and lets the server\'s values win', () => {
    const caller = Object.assign(Object.create(null), {
      LANG: 'C.UTF-8', LD_PRELOAD: '/evil.so', HOME: '/agent-home', GH_TOKEN: 'caller-set', RAW: Buffer.from([0xff]),
    });
    const env = childEnvironment(caller, { HOME: '/real-home', GH_TOKEN: 'from-server' });
    expect(env).toEqual(['LANG=C.UTF-8', Buffer.concat([Buffer.from('RAW='), Buffer.from([0xff])]), 'HOME=/real-home', 'GH_TOKEN=from-server']);
  });
});
