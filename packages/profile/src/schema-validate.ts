// Validation against schemas/profile.schema.json, with ajv's errors rewritten for people: the pointer
// of the offending key or value, what was expected, what was found, and a did-you-mean hint.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { validate as isValidProfile } from '../generated/profile-validator.js';
import { suggest } from './did-you-mean.js';
import { ShimgateError, type ValidationIssue } from './errors.js';

// src/*.ts and dist/*.js are both three levels below the repository root.
const SCHEMA_URL = new URL('../../../schemas/profile.schema.json', import.meta.url);

interface CompiledSchema {
  root: AnySchemaObject;
  validate: ValidateFunction;
}

// Compiling costs milliseconds and the result never changes, so it is built once, on first use.
let compiled: CompiledSchema | undefined;

function compiledSchema(): CompiledSchema {
  if (compiled) return compiled;
  let root: AnySchemaObject;
  try {
    root = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as AnySchemaObject;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ShimgateError('PROFILE_SCHEMA', `cannot load the profile schema ${fileURLToPath(SCHEMA_URL)}: ${why}`, {
      cause: err,
    });
  }
  // Only invalid profiles get here (see validateProfileValue), so ajv is loaded on demand.
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  // verbose: errors carry the failing schema node, whose `properties` list the keys allowed there.
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
  compiled = { root, validate: ajv.compile(root) };
  return compiled;
}

/** Every schema problem of a parsed profile, in the order they appear in the file; [] when valid. */
export function validateProfileValue(value: unknown, file: string): ValidationIssue[] {
  const found: Omit<ValidationIssue, 'file'>[] = [];
  // The build-time validator answers yes/no in microseconds; ajv is compiled only to explain a no.
  if (!isValidProfile(value)) {
    const { root, validate } = compiledSchema();
    validate(value);
    const errors = validate.errors ?? [];
    for (const e of errors) {
      if (isNoise(e, errors)) continue;
      found.push(describe(e, root));
    }
  }
  found.push(...duplicateCommandNames(value));
  if (found.length === 0) return [];

  const seen = new Set<string>();
  const unique = found.filter((i) => {
    const id = `${i.pointer}\n${i.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const order = documentOrder(value);
  const rank = (pointer: string): number => {
    // A pointer to a missing key ranks with its nearest existing ancestor.
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const n = order.get(p);
      if (n !== undefined || p === '') return n ?? 0;
    }
  };
  return unique
    .map((i, n) => ({ i, n, r: rank(i.pointer) }))
    .sort((a, b) => a.r - b.r || a.n - b.n)
    .map(({ i }) => ({ file, ...i }));
}

// if/then reports "must match then schema" beside the real error; propertyNames and oneOf/anyOf
// add summaries of errors that are reported on their own.
function isNoise(e: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (e.keyword === 'if' || e.keyword === 'propertyNames') return true;
  if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
    return all.some((o) => o !== e && o.keyword !== 'if' && isAtOrUnder(o.instancePath, e.instancePath));
  }
  return false;
}

function isAtOrUnder(pointer: string, base: string): boolean {
  return pointer === base || pointer.startsWith(`${base}/`);
}

function describe(e: ErrorObject, root: AnySchemaObject): Omit<ValidationIssue, 'file'> {
  const schema = resolve(e.parentSchema ?? {}, root);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      return { pointer: `${e.instancePath}/${escapeSegment(key)}`, message: unknownKeyMessage(key, schema) };
    }
    case 'required':
      return { pointer: e.instancePath, message: `missing required key "${String(p.missingProperty)}"` };
  }
  if (e.propertyName !== undefined) {
    const expected = expectation(e, schema);
    return {
      pointer: `${e.instancePath}/${escapeSegment(e.propertyName)}`,
      message: `the key ${expected}, got ${JSON.stringify(e.propertyName)}`,
    };
  }
  const expected = expectation(e, schema);
  // "must not be empty" says all there is to say about what was found.
  const found = expected === 'must not be empty' ? '' : `, got ${shown(e.keyword, e.data)}`;
  return { pointer: e.instancePath, message: `${expected}${found}${hint(e)}` };
}

function unknownKeyMessage(key: string, schema: AnySchemaObject): string {
  const properties = (schema.properties ?? {}) as Record<string, AnySchemaObject>;
  const known = Object.keys(properties);
  const near = suggest(key, known);
  const list = quoteAll(known);
  const actionType = properties.type?.const;
  if (typeof actionType === 'string') {
    const article = /^[aeiou]/.test(actionType) ? 'an' : 'a';
    const head = `"${key}" is not a key of ${article} "${actionType}" action`;
    return near ? `${head} — did you mean "${near}"?` : `${head}; its keys are ${list}`;
  }
  const head = `"${key}" is not a known key`;
  if (near) return `${head} — did you mean "${near}"?`;
  return known.length > 0 ? `${head}; the keys allowed here are ${list}` : head;
}

/** "must be …": what the failing keyword wanted. */
function expectation(e: ErrorObject, schema: AnySchemaObject): string {
  const p = e.params as Record<string, unknown>;
  const limit = Number(p.limit);
  switch (e.keyword) {
    case 'type':
      return `must be ${[p.type].flat().map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ')}`;
    case 'enum':
      return `must be one of ${quoteAll(p.allowedValues as unknown[])}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      // The descriptions of patterned strings are written to read as "must be <description>".
      if (typeof schema.description === 'string') return `must be ${sentenceBody(schema.description)}`;
      return `must be a string matching ${String(p.pattern)}`;
    case 'minLength':
    case 'minItems':
      if (limit === 1) return 'must not be empty';
      return `must have at least ${limit} ${e.keyword === 'minItems' ? 'items' : 'characters'}`;
    case 'minimum':
    case 'maximum':
      if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number') {
        const kind = schema.type === 'integer' ? 'an integer' : 'a number';
        return `must be ${kind} from ${schema.minimum} to ${schema.maximum}`;
      }
      return `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${limit}`;
    case 'minProperties':
    case 'maxProperties':
      if (schema.minProperties === 1 && schema.maxProperties === 1) {
        return `must have exactly one of ${quoteAll(Object.keys(schema.properties ?? {}))}`;
      }
      return `must have ${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${limit} keys`;
    default:
      return e.message ?? `fails the schema's "${e.keyword}" rule`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

/** What was found, phrased for the keyword that failed. */
function shown(keyword: string, data: unknown): string {
  if (keyword === 'minProperties' || keyword === 'maxProperties') {
    const keys = isObject(data) ? Object.keys(data) : [];
    return keys.length === 0 ? 'none' : quoteAll(keys);
  }
  if (data === null) return 'null';
  if (Array.isArray(data)) return data.length === 0 ? 'an empty array' : 'an array';
  if (typeof data === 'object') return 'an object';
  const text = typeof data === 'string' ? JSON.stringify(data) : String(data);
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  if (keyword !== 'type') return short;
  const kind = typeof data === 'string' ? 'a string' : typeof data === 'boolean' ? 'a boolean' : 'a number';
  return `${kind} (${short})`;
}

function quoteAll(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function hint(e: ErrorObject): string {
  if (e.keyword !== 'enum' || typeof e.data !== 'string') return '';
  const near = suggest(e.data, (e.params as { allowedValues: unknown[] }).allowedValues.map(String));
  return near ? ` — did you mean "${near}"?` : '';
}

// "A host name such as x (not a URL)." → "a host name such as x (not a URL)"
function sentenceBody(description: string): string {
  return description.charAt(0).toLowerCase() + description.slice(1).replace(/\.$/, '');
}

/** Follow a local "$ref" (verbose errors give the referring node when a keyword sits beside $ref). */
function resolve(node: AnySchemaObject, root: AnySchemaObject): AnySchemaObject {
  let current = node;
  for (let hops = 0; typeof current.$ref === 'string' && current.$ref.startsWith('#/') && hops < 8; hops++) {
    let target: unknown = root;
    for (const seg of current.$ref.slice(2).split('/')) target = isObject(target) ? target[seg] : undefined;
    if (!isObject(target)) break;
    current = target;
  }
  return current;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Pointer → rank in a pre-order walk, i.e. the order keys and items appear in the file. */
function documentOrder(value: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const walk = (v: unknown, pointer: string): void => {
    order.set(pointer, order.size);
    if (Array.isArray(v)) v.forEach((item, n) => walk(item, `${pointer}/${n}`));
    else if (isObject(v)) for (const [k, item] of Object.entries(v)) walk(item, `${pointer}/${escapeSegment(k)}`);
  };
  walk(value, '');
  return order;
}

/** Two entries of mediation.commands with one name would make "keyed by name" merging ambiguous. */
function duplicateCommandNames(value: unknown): Omit<ValidationIssue, 'file'>[] {
  const mediation = isObject(value) && Object.hasOwn(value, 'mediation') ? value.mediation : undefined;
  const commands = isObject(mediation) && Object.hasOwn(mediation, 'commands') ? mediation.commands : undefined;
  if (!Array.isArray(commands)) return [];
  const first = new Map<string, number>();
  const issues: Omit<ValidationIssue, 'file'>[] = [];
  commands.forEach((c: unknown, n) => {
    const name = isObject(c) && Object.hasOwn(c, 'name') ? c.name : undefined;
    if (typeof name !== 'string') return;
    const at = first.get(name);
    if (at === undefined) first.set(name, n);
    else issues.push({
      pointer: `/mediation/commands/${n}/name`,
      message: `"${name}" is already defined at /mediation/commands/${at}; name each command once`,
    });
  });
  return issues;
}
