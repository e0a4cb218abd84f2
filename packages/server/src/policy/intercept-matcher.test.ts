import { describe, expect, it } from '@jest/globals';
import { genericReading } from './argv-reading.js';
import { firstMatches, mustIncludeHolds, NO_RULE, ruleMatches } from './intercept-matcher.js';

const argv = (line: string): string[] => (line === '' ? [] : line.split(' '));
const rule = (args_prefix: string[], args_must_include: string[] = []) => ({ args_prefix, args_must_include });

const GIT_NONE: string[] = [];
const GIT_C = ['-c', '-C'];
const GH = ['-R', '--repo'];
const KUBECTL = ['--context', '-n', '--namespace'];

describe('ruleMatches: args_prefix', () => {
  it.each<[string, string, string[], string[], boolean]>([
    // [description, argv (space-separated, no argv[0]), prefix, flags_with_values, expected]
    ['git -c x=y push, -c not listed (either branch)', '-c x=y push', ['push'], GIT_NONE, true],
    ['git -c x=y push, -c listed', '-c x=y push', ['push'], GIT_C, true],
    ['git --no-pager push', '--no-pager push', ['push'], GIT_NONE, true],
    ['gh -R o/r pr merge 7, -R listed', '-R o/r pr merge 7', ['pr', 'merge'], GH, true],
    ['gh -R o/r pr merge 7, -R not listed', '-R o/r pr merge 7', ['pr', 'merge'], [], true],
    ['gh pr --repo o/r merge, listed', 'pr --repo o/r merge', ['pr', 'merge'], GH, true],
    ['gh pr --repo o/r merge, not listed', 'pr --repo o/r merge', ['pr', 'merge'], [], true],
    ['kubectl --context prod delete pod x, listed', '--context prod delete pod x', ['delete'], KUBECTL, true],
    ['kubectl --context prod delete pod x, not listed', '--context prod delete pod x', ['delete'], [], true],
    ['git push -- origin', 'push -- origin', ['push', 'origin'], GIT_NONE, true],
    ['git push --force origin (unlisted flag, value-less reading)', 'push --force origin', ['push', 'origin'], GIT_NONE, true],
    ['interleaved gh pr -R o/r merge --squash 7', 'pr -R o/r merge --squash 7', ['pr', 'merge'], GH, true],
    ['interleaved, -R not listed', 'pr -R o/r merge --squash 7', ['pr', 'merge'], [], true],
    ['gh pr list', 'pr list', ['pr', 'merge'], GH, false],
    ['gh pr view merge (merge is the 3rd positional)', 'pr view merge', ['pr', 'merge'], GH, false],
    ['git log -- push (push is the 2nd positional)', 'log -- push', ['push'], GIT_NONE, false],
    ['gh --repo=o/r pr merge', '--repo=o/r pr merge', ['pr', 'merge'], GH, true],
    ['gh --repo=o/r pr merge, not listed', '--repo=o/r pr merge', ['pr', 'merge'], [], true],
    ['listed short flag with attached value -Ro/r', '-Ro/r pr merge', ['pr', 'merge'], GH, true],
    ['attached value is never read as the next token', '-Rpr merge', ['pr', 'merge'], GH, false],
    ['listed flag eats its value: -R pr merge', '-R pr merge', ['pr', 'merge'], GH, false],
    ['unlisted flag, both readings explored: -R pr merge', '-R pr merge', ['pr', 'merge'], [], true],
    ['"-" alone is positional', '- push', ['push'], GIT_NONE, false],
    ['"-" alone matches a "-" prefix', 'cat -', ['cat', '-'], [], true],
    ['"-" after a flag stays positional', '--verbose - x', ['-', 'x'], [], true],
    ['-- makes flag-looking tokens positional', '-- --force', ['--force'], [], true],
    ['-- then fewer tokens than the prefix', 'push --', ['push', 'origin'], [], false],
    ['empty prefix matches every call', 'anything at all', [], [], true],
    ['empty prefix matches an empty argv', '', [], [], true],
    ['prefix longer than the args', 'pr', ['pr', 'merge'], GH, false],
    ['empty argv, non-empty prefix', '', ['pr'], GH, false],
    ['only flags', '--help -v', ['pr'], GH, false],
    ['more positional tokens after the prefix are fine', 'pr merge 7 extra', ['pr', 'merge'], GH, true],
    ['case matters', 'PR merge', ['pr', 'merge'], GH, false],
    ['listed flag as last token (no value)', 'pr merge -R', ['pr', 'merge'], GH, true],
    ['unlisted flag as last token', 'push --force', ['push'], [], true],
    ['chain of unlisted flags each maybe taking a value', '-a -b x -c y pr merge', ['pr', 'merge'], [], true],
    ['a flag may swallow "--"', '--weird -- push', ['push'], [], true],
    ['-c x=y alone is not push', '-c x=y', ['push'], GIT_C, false],
    ['listed long flag with "=" then the subcommand', 'pr --repo=o/r merge', ['pr', 'merge'], GH, true],
    ['negative-number-looking token is a flag', '-1 push', ['push'], [], true],
  ])('%s', (_, line, prefix, flags, expected) => {
    expect(ruleMatches(argv(line), rule(prefix), flags)).toBe(expected);
  });
});

describe('ruleMatches: args_must_include', () => {
  it.each<[string, string, string[], string[], boolean]>([
    // [description, argv, prefix, must_include, expected]
    ['present as a whole token', 'push --force origin', ['push'], ['--force'], true],
    ['absent', 'push origin', ['push'], ['--force'], false],
    ['all of several present', 'push --force origin main', ['push'], ['--force', 'main'], true],
    ['one of several missing', 'push --force origin', ['push'], ['--force', 'main'], false],
    ['as the value of --x=value', 'push --repo=prod', ['push'], ['prod'], true],
    ['as the value of -x=value', 'push -n=prod', ['push'], ['prod'], true],
    ['a listed --x matches --x=value', 'push --force=true', ['push'], ['--force'], true],
    ['a positional k=v is not a flag value', 'push key=prod', ['push'], ['prod'], false],
    ['a substring is not a token', 'push --forced', ['push'], ['--force'], false],
    ['found after --', 'push -- --force', ['push'], ['--force'], true],
    ['empty list is no condition', 'push', ['push'], [], true],
    ['with an empty prefix', 'delete pod x', [], ['delete'], true],
    ['prefix fails even though must_include holds', 'log --force', ['push'], ['--force'], false],
  ])('%s', (_, line, prefix, mustInclude, expected) => {
    expect(ruleMatches(argv(line), rule(prefix, mustInclude), [])).toBe(expected);
  });

  it('mustIncludeHolds looks at every token, flags included', () => {
    expect(mustIncludeHolds(genericReading([], ['-n', 'prod']), ['prod', '-n'])).toBe(true);
  });
});

describe('firstMatches: the first rule of every reading', () => {
  const rules = [rule(['auth', 'token']), rule(['pr', 'merge']), rule(['pr']), rule([])];
  it.each<[string, string[], number[]]>([
    ['auth token', GH, [0]],
    ['pr merge 7', GH, [1]],
    ['pr list', GH, [2]],
    ['repo view', GH, [3]],
    ['-R o/r pr merge', GH, [1]],
    // -R not listed: "-R takes o/r" reads pr merge, "-R takes nothing" reads o/r pr merge
    ['-R o/r pr merge', [], [1, 3]],
    // --weird may take "--": then --repo x is an option; else every later token is a word
    ['--weird -- --repo x pr merge', GH, [3, 1]],
  ])('%s (flags %j) → rules %j', (line, flags, expected) => {
    expect(firstMatches(genericReading(flags, argv(line)), rules)?.sort()).toEqual(expected.sort());
  });

  it('NO_RULE when nothing matches, and for no rules', () => {
    expect(firstMatches(genericReading(GH, ['repo', 'view']), [rule(['pr'])])).toEqual([NO_RULE]);
    expect(firstMatches(genericReading(GH, ['repo', 'view']), [])).toEqual([NO_RULE]);
  });

  it('gives up (null) on a call with too many readings, so the caller fails closed', () => {
    const args = Array.from({ length: 40 }, (_, i) => [`-f${i}`, `w${i}`]).flat();
    expect(firstMatches(genericReading([], args), [rule(['a', 'b', 'c', 'd'])])).toBeNull();
  });
});

describe('matching: cost', () => {
  it('stays fast on a long argv of unlisted flags (readings that agree are one)', () => {
    const args = [...Array.from({ length: 4000 }, (_, i) => `-f${i}`), 'pr', 'view'];
    const started = performance.now();
    expect(ruleMatches(args, rule(['pr', 'merge']), [])).toBe(false);
    expect(ruleMatches([...args, 'merge'], rule(['pr', 'view', 'merge']), [])).toBe(true);
    expect(firstMatches(genericReading([], [...args, 'merge']), [rule(['pr', 'merge']), rule(['pr', 'view'])])?.sort()).toEqual([-1, 1]);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
