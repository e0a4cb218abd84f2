// The HTTP server of `shimgate ui` (node:http, no framework): bound to 127.0.0.1 only; every request is
// checked for Host and token (request-guard.ts) before it is routed; every answer carries the security
// headers. Routes: the page, four JSON endpoints and the event stream.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ShimgateError } from '@shimgate/profile';
import type { LiveSession } from '../admin/live-sessions.js';
import { approvalsRoute, auditRoute, decideRoute, sessionsRoute, type ApiContext } from './api-routes.js';
import { createEventRelay, type EventRelay } from './event-relay.js';
import { PAGE_CSP, PAGE_HTML } from './page.js';
import { allowedOrigin, guardRequest, securityHeaders, sendError } from './request-guard.js';

export const UI_HOST = '127.0.0.1';

export interface UiServerOptions {
  /** 0: a free port chosen by the kernel. */
  port: number;
  token: string;
  list: () => LiveSession[];
  auditDir: string;
  /** One line for the operator (stderr): a session that cannot be reached, a failed request. */
  note: (text: string) => void;
}

export interface UiServer {
  /** Resolves with the port once listening. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

type Route = { method: 'GET' | 'POST'; run: (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void> };

export function createUiServer(options: UiServerOptions): UiServer {
  const ctx: ApiContext = { list: options.list, auditDir: options.auditDir };
  const headers = securityHeaders(PAGE_CSP);
  let port = 0;
  let relay: EventRelay | null = null;

  const routes: Readonly<Record<string, Route>> = Object.assign(Object.create(null) as Record<string, Route>, {
    '/': { method: 'GET', run: (_req, res) => sendPage(res) },
    '/api/sessions': { method: 'GET', run: (_req, res) => sessionsRoute(ctx, res) },
    '/api/approvals': { method: 'GET', run: (_req, res) => approvalsRoute(ctx, res) },
    '/api/audit': { method: 'GET', run: (_req, res, url) => auditRoute(ctx, url, res) },
    '/api/decide': { method: 'POST', run: (req, res) => decideRoute(ctx, req, res) },
    '/api/events': {
      method: 'GET',
      run: (_req, res) => {
        if (!relay?.attach(res)) sendError(res, 503, 'too many open event streams; the page falls back to polling');
      },
    },
  } satisfies Record<string, Route>);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const guard = guardRequest(req, port, options.token);
    if (!guard.ok) return sendError(res, guard.status, guard.error);
    const route = routes[guard.url.pathname];
    if (!route) return sendError(res, 404, `no such page: ${guard.url.pathname}`);
    if (req.method !== route.method) {
      return sendError(res, 405, `${guard.url.pathname} takes ${route.method} only`, { Allow: route.method });
    }
    if (route.method === 'POST' && !allowedOrigin(req.headers.origin, port)) {
      return sendError(res, 403, 'a decision may only come from this page');
    }
    await route.run(req, res, guard.url);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      options.note(`${req.method ?? '?'} ${new URL(req.url ?? '/', 'http://x').pathname}: ${message}`);
      if (!res.headersSent) sendError(res, 500, message);
      else res.destroy();
    });
  });

  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) => {
          const why = err.code === 'EADDRINUSE' ? 'is in use: choose another with --port, or leave --port out for a free one' : err.message;
          reject(new ShimgateError('UI_LISTEN', `cannot listen on ${UI_HOST}:${options.port}: ${why}`, { cause: err }));
        });
        server.listen({ host: UI_HOST, port: options.port, exclusive: true }, () => {
          port = (server.address() as AddressInfo).port;
          relay = createEventRelay({ list: options.list, note: options.note });
          resolve(port);
        });
      });
    },
    close() {
      relay?.close();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  function sendPage(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(PAGE_HTML) });
    res.end(PAGE_HTML);
  }
}
