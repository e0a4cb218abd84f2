// The edge of the package: a profile file on disk → a validated, null-prototype ProfileDocument.
import { readFileSync } from 'node:fs';
import { ProfileInvalidError, ShimgateError, type ValidationIssue } from './errors.js';
import { parseProfileText } from './parse.js';
import { validateProfileValue } from './schema-validate.js';
import type { ProfileDocument } from './types.js';

/**
 * Read, parse and validate one profile file (no `extends` resolution). Throws ShimgateError
 * PROFILE_NOT_FOUND / PROFILE_READ / PROFILE_PARSE, or ProfileInvalidError listing every schema issue.
 * The result is a deep copy made of null-prototype objects, so keys such as "__proto__" or
 * "constructor" in the file are plain data.
 */
export function loadProfileFile(path: string): ProfileDocument {
  const value = parseProfileText(readProfileText(path), path);
  const issues = validateProfileValue(value, path);
  if (issues.length > 0) throw new ProfileInvalidError(issues);
  return nullPrototypeCopy(value) as ProfileDocument;
}

/**
 * The problems of one profile file, for `shimgate profile validate`: [] when it loads. A read or
 * parse error becomes issues at pointer '' (one per syntax error the parser reports).
 */
export function validateProfileFile(path: string): ValidationIssue[] {
  try {
    return validateProfileValue(parseProfileText(readProfileText(path), path), path);
  } catch (err) {
    if (!(err instanceof ShimgateError) || !FILE_ERRORS.has(err.code)) throw err;
    return err.message.split('\n').map((line) => ({ file: path, pointer: '', message: withoutFile(line, path) }));
  }
}

const FILE_ERRORS = new Set(['PROFILE_NOT_FOUND', 'PROFILE_READ', 'PROFILE_PARSE']);

// "<file>:3:5: what" → "line 3, column 5: what"; "<file>: what" → "what".
function withoutFile(line: string, path: string): string {
  if (!line.startsWith(`${path}:`)) return line;
  const rest = line.slice(path.length + 1);
  const at = /^(\d+):(\d+): /.exec(rest);
  if (at) return `line ${at[1]}, column ${at[2]}: ${rest.slice(at[0].length)}`;
  return rest.replace(/^ /, '');
}

function readProfileText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new ShimgateError('PROFILE_NOT_FOUND', `${path}: no such file`, { cause: err });
    const reason = e.code === 'EISDIR' ? 'is a directory, not a file' : errnoReason(e);
    throw new ShimgateError('PROFILE_READ', `${path}: cannot read: ${reason}`, { cause: err });
  }
  try {
    // fatal: a profile with broken bytes is refused rather than read with U+FFFD in its paths.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new ShimgateError('PROFILE_PARSE', `${path}: is not valid UTF-8 text`, { cause: err });
  }
}

// "EACCES: permission denied, open '/p'" → "permission denied (EACCES)"
function errnoReason(e: NodeJS.ErrnoException): string {
  const text = /^[A-Z0-9]+: ([^,]+)/.exec(e.message)?.[1] ?? e.message;
  return e.code ? `${text} (${e.code})` : text;
}

function nullPrototypeCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullPrototypeCopy);
  if (typeof value !== 'object' || value === null) return value;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    // No inherited __proto__ setter on a null-prototype object: this is a plain own property.
    copy[key] = nullPrototypeCopy((value as Record<string, unknown>)[key]);
  }
  return copy;
}
