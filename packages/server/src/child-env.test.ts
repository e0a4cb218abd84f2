import { describe, expect, it } from '@jest/globals';
import { childEnvironment, isDangerousEnvName, isPassedEnvName } from './child-env.js';

describe('isDangerousEnvName', () => {
  it.each([
    'PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'NODE_OPTIONS', 'BASH_ENV', 'ENV',
    'SHIMGATE_SANDBOX_CONTEXT', 'SHIMGATE_SOCKET', 'BASH_FUNC_ls%%', 'https_proxy', 'HTTPS_PROXY', 'all_proxy',
    'HOME', 'XDG_CONFIG_HOME', 'GH_CONFIG_DIR', 'KUBECONFIG', 'PAGER', 'GIT_TRACE_CURL', 'SSL_CERT_FILE',
    'GIT_CONFIG_KEY_0', 'JAVA_TOOL_OPTIONS', 'GIT_SEQUENCE_EDITOR', 'GIT_TEST_FSMONITOR', 'LESSOPEN', 'TAR_OPTIONS', 'npm_config_script_shell',
  ])('%s is refused', (name) => {
    expect(isDangerousEnvName(name)).toBe(true);
  });
});

describe('isPassedEnvName', () => {
  const none = new Set<string>();
  it.each(['LANG', 'LC_ALL', 'LC_CTYPE', 'TERM', 'TZ', 'NO_COLOR', 'COLUMNS'])('%s passes by default', (name) => {
    expect(isPassedEnvName(name, none)).toBe(true);
  });

  it.each(['GH_REPO', 'GIT_AUTHOR_NAME', 'CI', 'MY_APP_SETTING', 'GIT_SEQUENCE_EDITOR', 'LESSOPEN', 'TAR_OPTIONS', 'path'])('%s does not pass unless listed', (name) => {
    expect(isPassedEnvName(name, none)).toBe(false);
  });

  it('passes listed plain-data names, also under a tool prefix, and never a whole dangerous name', () => {
    const pass = new Set(['GIT_AUTHOR_NAME', 'CI', 'PAGER', 'LD_PRELOAD', 'GIT_SSH_COMMAND']);
    expect(isPassedEnvName('GIT_AUTHOR_NAME', pass)).toBe(true);
    expect(isPassedEnvName('CI', pass)).toBe(true);
    expect(isPassedEnvName('PAGER', pass)).toBe(false);
    expect(isPassedEnvName('LD_PRELOAD', pass)).toBe(false);
  });
});

describe('childEnvironment', () => {
  it('keeps only allowed and listed caller names, and lets the server\'s values win', () => {
    const caller = Object.assign(Object.create(null), {
      LANG: 'C.UTF-8', LD_PRELOAD: '/evil.so', HOME: '/agent-home', GH_TOKEN: 'caller-set', RAW: Buffer.from([0xff]),
      LC_ALL: Buffer.from([0x43, 0xff]), GIT_AUTHOR_NAME: 'Agent', UNLISTED: 'x',
    });
    const env = childEnvironment(caller, { HOME: '/real-home', GH_TOKEN: 'from-server' }, ['GIT_AUTHOR_NAME']);
    expect(env).toEqual([
      'LANG=C.UTF-8', Buffer.concat([Buffer.from('LC_ALL='), Buffer.from([0x43, 0xff])]), 'GIT_AUTHOR_NAME=Agent',
      'HOME=/real-home', 'GH_TOKEN=from-server',
    ]);
  });
});
