import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as wire from './wire.js';

const header = readFileSync(new URL('../../../shim/wire.h', import.meta.url), 'utf8');
const defines = new Map(
  [...header.matchAll(/^#define (SHIMGATE_\w+) (.+)$/gm)].map((m) => [m[1]!.slice('SHIMGATE_'.length), JSON.parse(m[2]!)]),
);
const tsOnly = new Set(['ENV_SANDBOX_CONTEXT']);

describe('wire constants', () => {
  it('shim/wire.h and wire.ts define the same constants with the same values', () => {
    expect(defines.size).toBeGreaterThan(10);
    for (const [name, value] of defines) {
      expect([name, (wire as Record<string, unknown>)[name]]).toEqual([name, value]);
    }
    for (const name of Object.keys(wire)) {
      if (!tsOnly.has(name)) expect([name, defines.has(name)]).toEqual([name, true]);
    }
  });
});
