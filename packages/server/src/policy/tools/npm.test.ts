// npm under its tool spec: npm's own command table (aliases, unique prefixes) and its option parser.
import { describe, expect, it } from '@jest/globals';
import { allow, deny, hardened, verdict } from '../../testing/tool-calls.js';
import { npm } from './npm.js';

describe('npm: a deny on publish sees every way npm spells it', () => {
  it.each<[string, string]>([
    ['publish', 'deny'],
    ['pub', 'deny'],
    ['publ --tag beta', 'deny'],
    ['--registry https://r publish', 'deny'],
    ['--reg https://r pub', 'deny'], // --reg is a shorthand of --registry: it takes the URL
    ['--registry=https://r pu', 'deny'],
    ['-w pkg publish', 'deny'],
    ['--dry-run false publish', 'deny'], // nopt: a boolean takes a following true/false
    ['-gC dir publish', 'deny'], // -C (--prefix) in a cluster takes the next token
    ['--foo publish', 'deny'], // an unknown option is a boolean
    ['-- publish', 'deny'],
    ['unpublish', 'default'],
    ['install publish', 'default'], // a package named publish
  ])('npm %s → %s', (line, expected) => {
    expect(verdict('npm', [deny(['publish'])], line)).toBe(expected);
  });
});

describe('npm: aliases and abbreviations read as the commands they are', () => {
  const rules = [allow(['install']), allow(['ci']), allow(['test']), allow(['run', 'build']), deny([])];
  it.each<[string, string]>([
    ['i lodash', 'passthrough'],
    ['add lodash', 'passthrough'],
    ['isntall lodash', 'passthrough'], // npm's typo table
    ['clean-install', 'passthrough'],
    ['ic', 'passthrough'],
    ['t', 'passthrough'],
    ['run-script build', 'passthrough'],
    ['rum build', 'passthrough'],
    ['installTest', 'deny'], // camelCase is install-test, not install
    ['rm lodash', 'deny'], // uninstall
    ['un lodash', 'deny'],
    ['x evil', 'deny'], // exec
    ['st', 'deny'], // ambiguous (star, start, stop, …): every candidate, the deny wins
    ['run evil', 'deny'],
  ])('npm %s → %s', (line, expected) => {
    expect(verdict('npm', rules, line)).toBe(expected);
  });

  it('runs npm with the caller\'s args unchanged, without the caller\'s npm_config_* (npm reads its whole config from them)', () => {
    expect(hardened('npm', 'pub --tag beta')).toBe('ok: pub --tag beta');
    expect(npm.hardening?.env).toEqual({ drop: ['NPM_CONFIG_*'], set: {} });
  });
});
