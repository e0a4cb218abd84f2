// The JSON endpoints of `shimgate ui`. Each runs after request-guard.ts has checked Host and token, and
// answers `{ok:false,error}` with a fitting status when it cannot do what was asked.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fetchStatus, sendDecision, type Decision, type Scope } from '../admin/control-protocol.js';
import type { LiveSession } from '../admin/live-sessions.js';
import { gatherPending } from '../admin/pending-lookup.js';
import { parseLimit, readAuditTail, SESSION_ID } from './audit-tail.js';
import { sendError, sendJson } from './request-guard.js';

/**
 * The largest decide body taken. `{session_id, id, decision, scope, reason}` is under 100 bytes plus the
 * reason; 16 KiB leaves room for a long reason and stops a page from making us buffer more.
 */
const MAX_BODY = 16 * 1024;
/** A reason is written to the audit log and shown to the agent; a paragraph is plenty. */
const MAX_REASON = 1_000;
/** Approval ids are 6 characters today (approval-queue.ts); this only bounds what is forwarded. */
const APPROVAL_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface ApiContext {
  list: () => LiveSession[];
  auditDir: string;
}

export async function sessionsRoute(ctx: ApiContext, res: ServerResponse): Promise<void> {
  const sessions = await Promise.all(
    ctx.list().map(async (s) => {
      let pending: number | null;
      try {
        pending = (await fetchStatus(s.controlSocket)).pending.length;
      } catch {
        pending = null; // a session still starting, or wedged: shown as "?"
      }
      const r = s.record;
      return { id: s.id, name: r.name, profile: r.profile, started_at: r.started_at, status: r.status, unconfined: r.unconfined, agent_command: r.agent_command, pending };
    }),
  );
  sendJson(res, 200, { ok: true, sessions });
}

export async function approvalsRoute(ctx: ApiContext, res: ServerResponse): Promise<void> {
  const results = await gatherPending(ctx.list().filter((s) => s.record.status === 'running'));
  sendJson(res, 200, {
    ok: true,
    pending: results.flatMap((r) => (r.ok ? r.pending.map((p) => ({ ...p, session_id: r.session.id })) : [])),
    unanswered: results.flatMap((r) => (r.ok ? [] : [{ session_id: r.session.id, error: r.error.message }])),
  });
}

export function auditRoute(ctx: ApiContext, url: URL, res: ServerResponse): void {
  const session = url.searchParams.get('session');
  const limit = parseLimit(url.searchParams.get('limit'));
  if (session === null) return sendError(res, 400, 'add ?session=ID');
  if (limit === null) return sendError(res, 400, 'limit must be a whole number from 1 to 500');
  const tail = readAuditTail(ctx.auditDir, session, limit);
  if (!tail.ok) return sendError(res, tail.status, tail.error);
  sendJson(res, 200, { ok: true, session_id: session, events: tail.events });
}

interface DecideRequest {
  session_id: string;
  id: string;
  decision: Decision;
  scope: Scope;
  reason: string | null;
}

export async function decideRoute(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isJson(req.headers['content-type'])) return sendError(res, 415, 'send the decision as Content-Type: application/json');
  const body = await readBody(req);
  // The rest of an oversized body is not read: the connection closes once the answer is sent.
  if (body === null) return sendError(res, 413, `the body is larger than ${MAX_BODY} bytes`, { Connection: 'close' });
  const request = parseDecide(body);
  if (typeof request === 'string') return sendError(res, 400, request);
  const session = ctx.list().find((s) => s.id === request.session_id);
  if (!session) return sendError(res, 404, `no live session ${request.session_id}`);
  let answer: Awaited<ReturnType<typeof sendDecision>>;
  try {
    answer = await sendDecision(session.controlSocket, { id: request.id, decision: request.decision, scope: request.scope, reason: request.reason });
  } catch (err) {
    return sendError(res, 502, (err as Error).message);
  }
  if (answer.ok) sendJson(res, 200, { ok: true });
  else sendError(res, 409, answer.error); // decided by someone else, expired, withdrawn
}

/** application/json, with or without parameters (`; charset=utf-8`); a form or text/plain is refused. */
function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.pause();
        req.removeAllListeners('data');
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => reject(new Error('the request was cut off before its end'))); // no-op after 'end'
  });
}

/** The checked request, or what is wrong with it. */
function parseDecide(body: string): DecideRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the body must be a JSON object';
  const v = Object.assign(Object.create(null) as Record<string, unknown>, value);
  if (typeof v.session_id !== 'string' || !SESSION_ID.test(v.session_id)) return 'session_id must be a session id (hex digits)';
  if (typeof v.id !== 'string' || !APPROVAL_ID.test(v.id)) return 'id must be a pending approval id';
  if (v.decision !== 'approve' && v.decision !== 'deny') return 'decision must be "approve" or "deny"';
  const scope = v.scope ?? 'once';
  if (scope !== 'once' && scope !== 'session') return 'scope must be "once" or "session"';
  const reason = v.reason === undefined || v.reason === '' ? null : v.reason;
  if (reason !== null && (typeof reason !== 'string' || reason.length > MAX_REASON)) return `reason must be a string of at most ${MAX_REASON} characters`;
  return { session_id: v.session_id, id: v.id, decision: v.decision, scope, reason };
}
