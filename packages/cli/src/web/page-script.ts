// The admin page's script (plain browser JavaScript, no framework), inline in the page and allowed by
// its SHA-256 (page.ts). Every string that comes from a session — the agent picks commands, arguments
// and directories — reaches the page through textContent or an attribute value, never as HTML.
// Kept free of backticks and dollar-brace so it can live in this String.raw literal.
export const PAGE_SCRIPT = String.raw`
'use strict';
(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  const POLL_MS = 2000;
  const approvals = new Map(); // "session id" -> { approval, sessionId, card, left, born }
  let selected = null;
  let polling = null;
  let events = null;
  let generation = 0;
  const $ = (id) => document.getElementById(id);

  const apiUrl = (path, params) => {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) url.searchParams.set(k, v);
    url.searchParams.set('token', token);
    return url.toString();
  };
  const api = async (path, params, init) => {
    const res = await fetch(apiUrl(path, params), init);
    const body = await res.json().catch(() => ({ ok: false, error: 'answer is not JSON (status ' + res.status + ')' }));
    return { status: res.status, body };
  };
  const el = (tag, options, children) => {
    const node = document.createElement(tag);
    const o = options || {};
    if (o.className) node.className = o.className;
    if (o.text !== undefined) node.textContent = o.text;
    for (const [k, v] of Object.entries(o.attrs || {})) node.setAttribute(k, v);
    for (const child of children || []) node.append(child);
    return node;
  };
  // Control characters and bidi overrides are shown as escapes: a row must read as what ran.
  const visible = (s) => String(s).replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu,
    (c) => '\\u' + c.codePointAt(0).toString(16).padStart(4, '0'));
  const quote = (s) => (/^[\p{L}\p{N}_@%+=:,.\/-]+$/u.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'");
  const commandLine = (command, args) =>
    visible([String(command || '-')].concat(Array.isArray(args) ? args.map(String) : []).map(quote).join(' '));
  const timeLeft = (expiresAt) => {
    const total = Math.ceil((Date.parse(expiresAt) - Date.now()) / 1000);
    if (Number.isNaN(total)) return '?';
    if (total <= 0) return 'expired';
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const two = (n) => String(n).padStart(2, '0');
    return h > 0 ? h + 'h' + two(m) + 'm' + two(s) + 's' : m > 0 ? m + 'm' + two(s) + 's' : s + 's';
  };
  const clock = (ts) => { const d = new Date(ts); return Number.isNaN(d.getTime()) ? '-' : d.toLocaleTimeString(); };
  const setState = (text, className) => { const s = $('link-state'); s.textContent = text; s.className = className; };

  function showApproval(sessionId, a) {
    if (!a || typeof a.id !== 'string' || approvals.has(sessionId + ' ' + a.id)) return;
    const key = sessionId + ' ' + a.id;
    const left = el('dd', { className: 'left' });
    const reason = el('input', { attrs: { type: 'text', maxlength: '1000', 'aria-label': 'Reason (optional)' } });
    const error = el('p', { className: 'error', attrs: { role: 'alert' } });
    error.hidden = true;
    const button = (label, className, decision, scope) => {
      const b = el('button', { className, text: label, attrs: { type: 'button' } });
      b.addEventListener('click', () => decide(key, decision, scope, reason.value, card, error));
      return b;
    };
    const field = (name, value) => [el('dt', { text: name }), el('dd', { className: 'mono', text: visible(value) })];
    const card = el('article', { className: 'card', attrs: { 'data-approval-id': a.id, 'data-session-id': sessionId,
      'aria-label': 'Request ' + a.id + ': ' + commandLine(a.command, a.args) } }, [
      el('h3', {}, [el('code', { text: commandLine(a.command, a.args) })]),
      el('dl', {}, [
        ...field('Session', (a.session_name || '') + ' (' + sessionId + ')'),
        ...field('Directory', a.cwd),
        ...field('Parent', a.parent === null ? '(the agent itself)' : a.parent),
        ...field('Rule', a.rule === null ? '-' : a.rule),
        el('dt', { text: 'Time left' }), left,
      ]),
      el('label', { className: 'reason' }, ['Reason (optional)', reason]),
      el('div', { className: 'actions' }, [
        button('Approve', 'approve', 'approve', 'once'),
        button('Approve for session', '', 'approve', 'session'),
        button('Deny', 'deny', 'deny', 'once'),
      ]),
      error,
    ]);
    approvals.set(key, { approval: a, sessionId, card, left, born: generation });
    $('pending-list').append(card);
    tick();
  }
  function removeApproval(key) {
    const entry = approvals.get(key);
    if (!entry) return;
    entry.card.remove();
    approvals.delete(key);
    $('pending-empty').hidden = approvals.size > 0;
  }
  function tick() {
    for (const e of approvals.values()) {
      const text = timeLeft(e.approval.expires_at);
      e.left.textContent = text;
      e.left.classList.toggle('soon', text === 'expired' || /^[0-9]+s$/.test(text));
    }
    $('pending-empty').hidden = approvals.size > 0;
  }
  async function decide(key, decision, scope, reason, card, error) {
    const entry = approvals.get(key);
    if (!entry) return;
    const buttons = card.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    card.classList.add('busy');
    error.hidden = true;
    try {
      const { body } = await api('/api/decide', {}, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ session_id: entry.sessionId, id: entry.approval.id, decision, scope, reason: reason || null }) });
      if (body.ok) return removeApproval(key);
      error.textContent = 'Not done: ' + visible(body.error || 'unknown error');
    } catch (err) {
      error.textContent = 'Not done: the shimgate ui server did not answer (' + err.message + ')';
    }
    error.hidden = false;
    card.classList.remove('busy');
    buttons.forEach((b) => { b.disabled = false; });
  }
  async function syncApprovals() {
    const started = ++generation;
    const { body } = await api('/api/approvals');
    if (!body.ok) return;
    const seen = new Set();
    for (const a of body.pending) { seen.add(a.session_id + ' ' + a.id); showApproval(a.session_id, a); }
    for (const [key, e] of approvals) if (!seen.has(key) && e.born < started) removeApproval(key);
  }

  async function loadSessions() {
    const { body } = await api('/api/sessions');
    if (!body.ok) return setState('cannot list sessions: ' + visible(body.error), 'down');
    const rows = body.sessions.map((s) => {
      const show = el('button', { text: 'Audit', attrs: { type: 'button', 'aria-label': 'Show the audit of session ' + s.id } });
      show.addEventListener('click', () => { selected = s.id; loadSessions(); loadAudit(); });
      return el('tr', { className: s.id === selected ? 'selected' : '' }, [
        el('td', { className: 'mono nowrap', text: s.id }),
        el('td', { text: visible(s.name) }),
        el('td', { text: visible(s.profile) }),
        el('td', { text: clock(s.started_at) }),
        el('td', { text: s.pending === null ? '?' : String(s.pending) }),
        el('td', { className: s.unconfined ? 'unconfined' : '', text: s.unconfined ? 'UNCONFINED' : 'confined' }),
        el('td', { className: 'mono', text: commandLine(s.agent_command[0], s.agent_command.slice(1)) }),
        el('td', {}, [show]),
      ]);
    });
    $('sessions').querySelector('tbody').replaceChildren(...rows);
    $('sessions').hidden = rows.length === 0;
    $('sessions-empty').hidden = rows.length > 0;
  }
  async function loadAudit() {
    if (selected === null) return;
    const { body } = await api('/api/audit', { session: selected, limit: '50' });
    $('audit-note').textContent = body.ok ? 'Latest calls of session ' + selected + ', newest first.' : visible(body.error);
    const rows = (body.ok ? body.events : []).slice().reverse().map((e) => {
      const action = String(e.action_type || '-');
      const exit = e.signal ? String(e.signal) : e.exit_code === null || e.exit_code === undefined ? '-' : String(e.exit_code);
      return el('tr', {}, [el('td', { text: clock(e.ts) }), el('td', { className: 'mono', text: commandLine(e.command, e.args) }),
        el('td', { className: 'action-' + action.replace(/[^a-z]/g, ''), text: visible(action) }), el('td', { text: visible(exit) })]);
    });
    $('audit').querySelector('tbody').replaceChildren(...rows);
    $('audit').hidden = rows.length === 0;
  }

  function onEvent(message) {
    let e;
    try { e = JSON.parse(message.data); } catch { return; }
    if (e.event === 'pending') showApproval(e.session_id, e.approval);
    else if (e.event === 'decided' || e.event === 'expired' || e.event === 'withdrawn') removeApproval(e.session_id + ' ' + e.id);
    else if (e.event === 'session-ended') for (const [key, a] of approvals) { if (a.sessionId === e.session_id) removeApproval(key); }
    if (e.event === 'command' && e.session_id === selected) loadAudit();
    if (e.event !== 'command') loadSessions();
  }
  const refresh = () => Promise.all([syncApprovals(), loadSessions()]).catch(() => setState('the shimgate ui server is not answering', 'down'));
  function startPolling() {
    if (polling === null) polling = setInterval(refresh, POLL_MS);
    setState('polling every 2 s (no event stream)', '');
  }
  function connect() {
    events = new EventSource(apiUrl('/api/events'));
    events.onopen = () => {
      clearInterval(polling);
      polling = null;
      setState('live', 'live');
      refresh();
    };
    events.onmessage = onEvent;
    events.onerror = () => {
      startPolling();
      if (events.readyState === EventSource.CLOSED) setTimeout(connect, 10 * POLL_MS); // refused: try again later
    };
  }

  setInterval(tick, 1000);
  setInterval(() => { if (polling === null) loadSessions().catch(() => {}); }, 5 * POLL_MS);
  refresh();
  connect();
})();
`;
