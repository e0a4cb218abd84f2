import { describe, expect, it } from '@jest/globals';
import { isSecretName, mask, scrubArgs } from './scrub-args.js';

const NONCE = `shimgate_${'0f'.repeat(32)}`;

describe('scrubArgs', () => {
  it.each<[string, string[], string[]]>([
    // flags, separate value
    ['--token x', ['--token', 'x', 'y'], ['--token', '***', 'y']],
    ['--password x', ['login', '--password', 'hunter2'], ['login', '--password', '***']],
    ['--passwd x', ['--passwd', 'p'], ['--passwd', '***']],
    ['--client-secret x', ['--client-secret', 's'], ['--client-secret', '***']],
    ['--api-key / --api_key / --apikey / --API-KEY', ['--api-key', 'a', '--api_key', 'b', '--apikey', 'c', '--API-KEY', 'd'],
      ['--api-key', '***', '--api_key', '***', '--apikey', '***', '--API-KEY', '***']],
    ['--auth x', ['--auth', 'u:p'], ['--auth', '***']],
    ['--auth-token x', ['--auth-token', 't'], ['--auth-token', '***']],
    ['--basic-auth x', ['--basic-auth', 'u:p'], ['--basic-auth', '***']],
    ['--credentials x', ['--credentials', 'c'], ['--credentials', '***']],
    ['--private-key x', ['--private-key', 'k'], ['--private-key', '***']],
    ['--TOKEN upper case', ['--TOKEN', 't'], ['--TOKEN', '***']],
    ['single-dash long flag', ['-password', 'p'], ['-password', '***']],
    ['secret flag as the last arg', ['push', '--token'], ['push', '--token']],
    ['next arg hidden even if it looks like a flag', ['--token', '--x'], ['--token', '***']],
    // flags, joined value
    ['--token=x', ['--token=abc'], ['--token=***']],
    ['--auth-token=x', ['--auth-token=abc', 'next'], ['--auth-token=***', 'next']],
    ['-Dx.password=y', ['-Djavax.net.ssl.keyStorePassword=pw'], ['-Djavax.net.ssl.keyStorePassword=***']],
    // not secret
    ['--author is not auth', ['commit', '--author', 'Ann <a@b>'], ['commit', '--author', 'Ann <a@b>']],
    ['--author=x is not auth', ['--author=Ann'], ['--author=Ann']],
    ['--authority', ['--authority', 'x'], ['--authority', 'x']],
    ['short flags are left alone', ['-p', 'secret', '-t', 'x'], ['-p', 'secret', '-t', 'x']],
    ['short flag with = is left alone', ['-p=secret'], ['-p=secret']],
    ['--password-stdin takes no value', ['login', '--password-stdin', 'registry.io'], ['login', '--password-stdin', 'registry.io']],
    ['--no-auth takes no value', ['--no-auth', 'push'], ['--no-auth', 'push']],
    ['positional words are not flags', ['auth', 'token', 'status'], ['auth', 'token', 'status']],
    ['innocent args', ['pr', 'merge', '7', '--squash', '-R', 'o/r', 'https://github.com/o/r', '-', '--'],
      ['pr', 'merge', '7', '--squash', '-R', 'o/r', 'https://github.com/o/r', '-', '--']],
    ['empty', [], []],
    // headers
    ['Authorization header', ['-H', 'Authorization: Bearer abc'], ['-H', 'Authorization: ***']],
    ['header case-insensitive, no space', ['authorization:Basic Zm9v'], ['authorization: ***']],
    ['Proxy-Authorization', ['Proxy-Authorization: Basic x'], ['Proxy-Authorization: ***']],
    ['Cookie', ['--header', 'Cookie: a=1; b=2'], ['--header', 'Cookie: ***']],
    ['X-Api-Key', ['X-Api-Key: k'], ['X-Api-Key: ***']],
    ['PRIVATE-TOKEN', ['PRIVATE-TOKEN: glpat-x'], ['PRIVATE-TOKEN: ***']],
    ['header glued to -H', ['-HAuthorization: Bearer abc'], ['-HAuthorization: ***']],
    ['header after --header=', ['--header=Authorization: Bearer abc'], ['--header=Authorization: ***']],
    ['git http.extraHeader', ['-c', 'http.extraHeader=Authorization: Bearer abc', 'clone'],
      ['-c', 'http.extraHeader=Authorization: Bearer abc'.replace('Bearer abc', '***'), 'clone']],
    ['a header line inside a multi-line arg', ['GET / HTTP/1.1\r\nCookie: s=1\r\nAccept: */*'], ['GET / HTTP/1.1\r\nCookie: ***\r\nAccept: */*']],
    ['innocent headers stay', ['-H', 'Accept: application/json', 'Content-Type: text/plain'],
      ['-H', 'Accept: application/json', 'Content-Type: text/plain']],
    ['Author: is not a secret header', ['Author: Ann'], ['Author: Ann']],
    // URLs
    ['URL password', ['clone', 'https://user:pw@github.com/o/r'], ['clone', 'https://user:***@github.com/o/r']],
    ['URL password inside an arg', ['--url=git+ssh://u:p@h:22/x'], ['--url=git+ssh://u:***@h:22/x']],
    ['URL password containing @', ['https://u:p@ss@h/x'], ['https://u:***@h/x']],
    ['URL with user only stays', ['ssh://git@github.com/o/r'], ['ssh://git@github.com/o/r']],
    ['URL with a port, no userinfo', ['http://host:8080/a@b'], ['http://host:8080/a@b']],
    ['secret query parameter', ['https://api/x?access_token=abc&page=2'], ['https://api/x?access_token=***&page=2']],
    ['innocent query parameter', ['https://api/x?author=ann&page=2'], ['https://api/x?author=ann&page=2']],
    // env-style
    ['GH_TOKEN=abc', ['GH_TOKEN=abc'], ['GH_TOKEN=***']],
    ['env value with spaces', ['DB_PASSWORD=a b c'], ['DB_PASSWORD=***']],
    ['DB_PASS=x', ['DB_PASS=x'], ['DB_PASS=***']],
    ['AWS_SECRET_ACCESS_KEY=x', ['AWS_SECRET_ACCESS_KEY=x'], ['AWS_SECRET_ACCESS_KEY=***']],
    ['innocent env', ['GIT_AUTHOR_NAME=Ann', 'PATH=/bin', 'PASSTHROUGH=1'], ['GIT_AUTHOR_NAME=Ann', 'PATH=/bin', 'PASSTHROUGH=1']],
    // JSON
    ['JSON member', ['-d', '{"user":"ann","password":"pw"}'], ['-d', '{"user":"ann","password":"***"}']],
    // nonces are references, not secrets
    ['--token nonce', ['--token', NONCE], ['--token', NONCE]],
    ['--token=nonce', [`--token=${NONCE}`], [`--token=${NONCE}`]],
    ['Bearer nonce', [`Authorization: Bearer ${NONCE}`], [`Authorization: Bearer ${NONCE}`]],
    ['env nonce', [`GH_TOKEN=${NONCE}`], [`GH_TOKEN=${NONCE}`]],
    ['URL password nonce', [`https://x:${NONCE}@h/`], [`https://x:${NONCE}@h/`]],
    ['nonce plus a literal secret is hidden', ['--token', `${NONCE}extra`], ['--token', '***']],
    ['nonce next to a literal secret is hidden', ['--token', `${NONCE} hunter2`], ['--token', '***']],
  ])('%s', (_, args, expected) => {
    expect(scrubArgs(args)).toEqual(expected);
  });

  it('does not change its input', () => {
    const args = Object.freeze(['--token', 'x']);
    expect(scrubArgs(args)).toEqual(['--token', '***']);
    expect(args).toEqual(['--token', 'x']);
  });
});

describe('isSecretName', () => {
  it.each<[string, boolean]>([
    ['token', true], ['GH_TOKEN', true], ['access_token', true], ['password', true], ['passwd', true],
    ['client-secret', true], ['api-key', true], ['api_key', true], ['ApiKey', true], ['X-Api-Key', true],
    ['auth', true], ['basic-auth', true], ['auth-token', true], ['oauth', true], ['Authorization', true],
    ['credential', true], ['credentials', true], ['private-key', true], ['PRIVATE_KEY', true], ['cookie', true],
    ['pass', true], ['db-pass', true],
    ['author', false], ['authority', false], ['GIT_AUTHOR_EMAIL', false], ['key', false], ['pass-through', false],
    ['passthrough', false], ['repo', false], ['', false],
  ])('%s → %s', (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });
});

describe('mask', () => {
  it.each<[string, string]>([
    ['hunter2', '***'], ['', '***'], [NONCE, NONCE], [`Bearer ${NONCE}`, `Bearer ${NONCE}`], [`token ${NONCE}`, `token ${NONCE}`],
    [`${NONCE},${NONCE}`, `${NONCE},${NONCE}`], [`Other ${NONCE}`, '***'], [`${NONCE}0`, '***'],
  ])('%s', (value, expected) => {
    expect(mask(value)).toBe(expected);
  });
});

describe('scrubArgs: headers glued to a short flag are not flag names', () => {
  it.each<[string, string]>([
    ['-HCookie: a=1', '-HCookie: ***'],
    ['-HX-Api-Key: k', '-HX-Api-Key: ***'],
  ])('%s', (arg, expected) => {
    expect(scrubArgs([arg, 'next'])).toEqual([expected, 'next']);
  });
});
