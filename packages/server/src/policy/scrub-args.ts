// Arguments as the audit log may show them (DESIGN §6): secret values replaced by "***".
// Pure; no module state (regexes with the g flag are built per call).
//
// What is scrubbed, in each argument:
//   1. Secret-looking FLAGS: "--token x" (the next argument), "--token=x" (the part after "=").
//      Single-dash multi-letter flags ("-password x", "-Dx.password=y") count as long ones. Single-letter
//      short flags ("-p x") are left alone: their meaning differs per tool. A name ending in "stdin" or
//      starting with "no" ("--password-stdin", "--no-auth") takes no value, so the next argument stays.
//   2. Whole-argument "KEY=value" whose KEY looks secret ("GH_TOKEN=abc" → "GH_TOKEN=***").
//   3. URL passwords anywhere: "scheme://user:pass@host" → "scheme://user:***@host".
//   4. Query / form parameters with a secret name anywhere: "?access_token=x" → "?access_token=***".
//   5. Header lines with a secret name (Authorization, Proxy-Authorization, Cookie, X-Api-Key,
//      PRIVATE-TOKEN, …), at the start of an argument or of any line in it, after "=" (git's
//      "http.extraHeader=Authorization: …", "--header=…"), or glued to a short flag ("-HCookie: …").
//      The name stays, the value goes: "Authorization: ***".
//   6. JSON members with a secret name: "{\"token\": \"x\"}" → "{\"token\": \"***\"}".
// A secret-looking name is one whose text contains token, password, passwd, secret, credential, cookie,
// api-key / api_key / apikey or private-key (case-insensitive, separators ignored), or has "auth",
// "oauth" or "authorization" as a whole word part, or ends in the word part "pass". So "--auth",
// "--auth-token", "--basic-auth" are secret; "--author", "--authority" are not.
// Broker nonces ("shimgate_<64 hex>") are references, not secrets: a value made only of nonces,
// optionally after an auth scheme word ("Bearer shimgate_…"), is kept.
// Scrubbing errs towards hiding: an innocent value after a secret-looking flag is hidden too.

import { NONCE_PATTERN } from './broker.js';

export const MASK = '***';

const CONTAINED = ['token', 'password', 'passwd', 'secret', 'credential', 'cookie', 'apikey', 'privatekey'];
const WHOLE_PARTS = new Set(['auth', 'oauth', 'authorization']);
const LAST_PARTS = new Set(['pass']);

export function isSecretName(name: string): boolean {
  const parts = name.toLowerCase().split(/[^a-z0-9]+/).filter((p) => p !== '');
  const compact = parts.join('');
  const last = parts[parts.length - 1];
  return (
    CONTAINED.some((word) => compact.includes(word)) ||
    parts.some((p) => WHOLE_PARTS.has(p)) ||
    (last !== undefined && LAST_PARTS.has(last))
  );
}

export function scrubArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let maskNext = false;
  for (const arg of args) {
    if (maskNext) {
      maskNext = false;
      out.push(mask(arg));
      continue;
    }
    const flag = secretFlag(arg);
    if (flag === 'takes-next') {
      maskNext = true;
      out.push(arg);
    } else if (flag === 'joined') {
      const eq = arg.indexOf('=');
      out.push(arg.slice(0, eq + 1) + mask(arg.slice(eq + 1)));
    } else {
      out.push(scrubText(arg));
    }
  }
  return out;
}

const FLAG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** How a secret-looking flag carries its value; null for anything else (short flags included). */
function secretFlag(arg: string): 'takes-next' | 'joined' | 'no-value' | null {
  if (!arg.startsWith('-') || arg === '-' || arg === '--') return null;
  const body = arg.replace(/^-+/, '');
  const eq = body.indexOf('=');
  const name = eq < 0 ? body : body.slice(0, eq);
  if (!arg.startsWith('--') && name.length <= 1) return null;
  // "-HCookie: x" is a header glued to -H, not a flag called "HCookie: x": leave it to scrubHeaders.
  if (!FLAG_NAME.test(name) || !isSecretName(name)) return null;
  if (eq >= 0) return 'joined';
  const parts = name.toLowerCase().split(/[^a-z0-9]+/);
  return parts[0] === 'no' || (parts[parts.length - 1] ?? '').endsWith('stdin') ? 'no-value' : 'takes-next';
}

/** "***", unless the value is only broker nonces (optionally after an auth scheme word). */
export function mask(value: string): string {
  const nonces = new RegExp(NONCE_PATTERN.source, 'g');
  if (!nonces.test(value)) return MASK;
  const rest = value.replace(new RegExp(NONCE_PATTERN.source, 'g'), ' ');
  return /^\s*(?:(?:bearer|token|basic)\s+)?[\s,;]*$/i.test(rest) ? value : MASK;
}

const ENV_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_.-]*)=([\s\S]*)$/;

function scrubText(arg: string): string {
  if (!arg.startsWith('-')) {
    const env = ENV_ASSIGNMENT.exec(arg);
    if (env !== null && isSecretName(env[1]!)) return `${env[1]}=${mask(env[2]!)}`;
  }
  return [scrubUrlPasswords, scrubQueryParams, scrubHeaders, scrubJsonMembers].reduce((text, step) => step(text), arg);
}

function scrubUrlPasswords(text: string): string {
  return text.replace(
    /([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:]*:)([^\s/?#]*)@/g,
    (_, head: string, password: string) => `${head}${mask(password)}@`,
  );
}

function scrubQueryParams(text: string): string {
  return text.replace(/([?&;])([^=&;#\s]+)=([^&;#\s]*)/g, (all: string, sep: string, key: string, value: string) =>
    isSecretName(key) ? `${sep}${key}=${mask(value)}` : all,
  );
}

function scrubHeaders(text: string): string {
  return text.replace(
    /(^-[A-Za-z](?=[A-Za-z][A-Za-z0-9-]*[ \t]*:)|^|=)([ \t]*)([A-Za-z][A-Za-z0-9-]*)[ \t]*:([^\r\n]*)/gm,
    (all: string, lead: string, space: string, name: string, value: string) =>
      isSecretName(name) && !value.startsWith('//') ? `${lead}${space}${name}: ${mask(value.trim())}` : all,
  );
}

function scrubJsonMembers(text: string): string {
  return text.replace(
    /("((?:[^"\\]|\\.)*)"\s*:\s*")((?:[^"\\]|\\.)*)"/g,
    (all: string, head: string, key: string, value: string) => (isSecretName(key) ? `${head}${mask(value)}"` : all),
  );
}
