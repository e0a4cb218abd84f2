// Text → plain value. Syntax only: the shape is checked by schema-validate.ts.
import { extname } from 'node:path';
import { isScalar, parseDocument, type Document, type YAMLError } from 'yaml';
import { ShimgateError } from './errors.js';

/**
 * Parse a profile's text: `.yaml`/`.yml` as YAML, anything else as JSON. Duplicate keys are errors in
 * both (JSON.parse would silently keep the last one, which in a policy file hides a mistake).
 * Throws ShimgateError('PROFILE_PARSE') with a message `<file>:<line>:<col>: <what is wrong>`.
 */
export function parseProfileText(text: string, file: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') throw emptyError(file);
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return parseYaml(body, file);
  return parseJson(body, file, ext === '.json');
}

function emptyError(file: string): ShimgateError {
  return new ShimgateError('PROFILE_PARSE', `${file}: is empty; a profile is a JSON/YAML object`);
}

function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, stringKeys: true });
  // Warnings (an unknown tag, an unsupported %YAML version) would change what the file means
  // silently, so they fail the parse too.
  let problems = [...doc.errors, ...doc.warnings];
  // A list or map used as a key is usually a side effect of a bad indent reported beside it.
  if (problems.some((p) => p.code !== 'NON_STRING_KEY')) problems = problems.filter((p) => p.code !== 'NON_STRING_KEY');
  if (problems.length > 0) {
    const lines = problems.map((p) => yamlProblemLine(p, file));
    throw new ShimgateError('PROFILE_PARSE', lines.join('\n'), { cause: problems[0] });
  }
  if (isEmptyDocument(doc)) throw emptyError(file);
  try {
    // The alias cap stops "billion laughs" documents from expanding without bound.
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const what = err instanceof Error ? err.message : String(err);
    throw new ShimgateError('PROFILE_PARSE', `${file}: ${what}`, { cause: err });
  }
}

// Nothing but comments, or a bare "---": no node at all, or an implicit null with no source text.
function isEmptyDocument(doc: Document): boolean {
  const { contents } = doc;
  return contents === null || (isScalar(contents) && contents.value === null && contents.source === '');
}

function yamlProblemLine(problem: YAMLError, file: string): string {
  // With prettyErrors the message is "<what> at line L, column C:" plus a code excerpt; keep <what>.
  const firstLine = problem.message.split('\n', 1)[0] ?? problem.message;
  let what = firstLine.replace(/ at line \d+, column \d+:?$/, '');
  if (problem.code === 'NON_STRING_KEY') what = 'keys must be plain strings, not lists or maps';
  const pos = problem.linePos?.[0];
  return pos ? `${file}:${pos.line}:${pos.col}: ${what}` : `${file}: ${what}`;
}

function parseJson(text: string, file: string, isJsonName: boolean): unknown {
  const hint = isJsonName ? '' : ' (files not named .yaml/.yml are read as JSON)';
  const problem = findJsonProblem(text);
  if (problem) {
    throw new ShimgateError('PROFILE_PARSE', `${file}:${lineCol(text, problem.at)}: ${problem.message}${hint}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // Not expected once the scan passed; keep whatever position V8 gives.
    const what = err instanceof Error ? err.message : String(err);
    const pos = /at position (\d+)/.exec(what);
    const where = pos ? `:${lineCol(text, Number(pos[1]))}` : '';
    throw new ShimgateError('PROFILE_PARSE', `${file}${where}: ${what}${hint}`, { cause: err });
  }
}

/** 1-based "line:column" of a UTF-16 offset. */
function lineCol(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `${line}:${at - before.lastIndexOf('\n')}`;
}

interface JsonProblem {
  at: number;
  message: string;
}

class ScanStop {
  constructor(readonly problem: JsonProblem) {}
}

// Profiles nest about seven levels deep; the cap keeps the recursive scan far from the stack limit.
const MAX_JSON_DEPTH = 64;

/**
 * The first syntax error or duplicate key in a JSON text, with its offset. Node 20's JSON.parse
 * gives no position for some errors ("Unexpected token '}', ... is not valid JSON") and never
 * reports duplicate keys, hence this scan.
 */
function findJsonProblem(text: string): JsonProblem | undefined {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new ScanStop({ at, message });
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const found = (at: number): string => {
    if (at >= text.length) return 'the end of the file';
    const token = /[^\s,:[\]{}"]+/y;
    token.lastIndex = at;
    const word = token.exec(text)?.[0] ?? text[at]!;
    return `'${word.length > 20 ? `${word.slice(0, 20)}…` : word}'`;
  };

  const string = (): string => {
    const start = i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const ch = text[i]!;
      if (ch === '"') return text.slice(start, ++i);
      if (ch === '\n') fail('line break inside a string (write \\n, or close the string)');
      if (ch < ' ') fail(`control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0')} inside a string`);
      if (ch !== '\\') {
        i++;
      } else if ('"\\/bfnrt'.includes(text[i + 1] ?? 'x')) {
        i += 2;
      } else if (/^u[0-9a-fA-F]{4}/.test(text.slice(i + 1, i + 6))) {
        i += 6;
      } else {
        fail(`invalid escape '\\${text[i + 1] ?? ''}' in a string`);
      }
    }
  };

  const value = (depth: number): void => {
    skipSpace();
    const c = text[i];
    if ((c === '{' || c === '[') && depth >= MAX_JSON_DEPTH) fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (c === '{') return object(depth + 1);
    if (c === '[') return array(depth + 1);
    if (c === '"') return void string();
    const literal = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null/y;
    literal.lastIndex = i;
    if (literal.exec(text)) {
      i = literal.lastIndex;
      return;
    }
    fail(`expected a value (string, number, object, array, true, false or null), found ${found(i)}`);
  };

  const object = (depth: number): void => {
    const seen = new Map<string, number>();
    i++;
    skipSpace();
    if (text[i] === '}') return void i++;
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail(`expected a key in double quotes, found ${found(i)}`);
      const keyAt = i;
      const key = JSON.parse(string()) as string;
      const first = seen.get(key);
      if (first !== undefined) fail(`duplicate key "${key}" (first at ${lineCol(text, first)})`, keyAt);
      seen.set(key, keyAt);
      skipSpace();
      if (text[i] !== ':') fail(`expected ':' after the key "${key}", found ${found(i)}`);
      i++;
      value(depth);
      skipSpace();
      const commaAt = i;
      if (text[i] === '}') return void i++;
      if (text[i] !== ',') fail(`expected ',' or '}' after the value of "${key}", found ${found(i)}`);
      i++;
      skipSpace();
      if (text[i] === '}') fail('trailing comma before }', commaAt);
    }
  };

  const array = (depth: number): void => {
    i++;
    skipSpace();
    if (text[i] === ']') return void i++;
    for (;;) {
      value(depth);
      skipSpace();
      const commaAt = i;
      if (text[i] === ']') return void i++;
      if (text[i] !== ',') fail(`expected ',' or ']' after an array element, found ${found(i)}`);
      i++;
      skipSpace();
      if (text[i] === ']') fail('trailing comma before ]', commaAt);
    }
  };

  try {
    value(0);
    skipSpace();
    if (i < text.length) fail(`unexpected ${found(i)} after the end of the JSON value`);
    return undefined;
  } catch (err) {
    if (err instanceof ScanStop) return err.problem;
    throw err;
  }
}
