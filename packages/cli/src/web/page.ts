// The admin page of `shimgate ui`: one static HTML document with its style and script inline, kept as a
// string so it survives bundling into dist/shimgate.mjs. The Content-Security-Policy allows exactly
// that style and that script by their SHA-256, so nothing injected into the page could run, and the
// page may only talk to its own origin.
import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>shimgate: approvals</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>shimgate</h1><p id="link-state" role="status">connecting…</p></header>
<main>
<section aria-labelledby="pending-title">
<h2 id="pending-title">Waiting for approval</h2>
<p id="pending-empty" class="empty">Nothing is waiting.</p>
<div id="pending-list"></div>
</section>
<section aria-labelledby="sessions-title">
<h2 id="sessions-title">Live sessions</h2>
<p id="sessions-empty" class="empty">No live sessions.</p>
<table id="sessions" hidden>
<thead><tr><th>Session</th><th>Name</th><th>Profile</th><th>Started</th><th>Pending</th><th>Sandbox</th><th>Agent</th><th></th></tr></thead>
<tbody></tbody>
</table>
</section>
<section aria-labelledby="audit-title">
<h2 id="audit-title">Audit</h2>
<p id="audit-note" class="empty">Choose a session's Audit button to see its latest calls.</p>
<table id="audit" hidden>
<thead><tr><th>Time</th><th>Command</th><th>Action</th><th>Exit</th></tr></thead>
<tbody></tbody>
</table>
</section>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * `default-src 'none'` and then only what the page uses: its own inline style and script (by hash),
 * fetch and EventSource to its own origin. No frames, no forms, no <base>, no plugins.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(PAGE_SCRIPT)}`,
  `style-src ${sha256(PAGE_STYLE)}`,
  "connect-src 'self'",
  "img-src data:", // only the empty favicon: without it the browser asks for /favicon.ico, without the token
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
