// The admin page's stylesheet: light, plain, large enough to read at a glance. Served inline in the page
// and allowed by its SHA-256 in the Content-Security-Policy (page.ts), not by 'unsafe-inline'.
export const PAGE_STYLE = String.raw`
:root { color-scheme: light; --ink: #1d232b; --muted: #5b6572; --line: #d6dbe1; --bg: #f6f7f9;
  --ok: #1f7a3d; --no: #b3261e; --warn: #8a5a00; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0; background: var(--bg); color: var(--ink); }
header { display: flex; align-items: baseline; gap: 1rem; padding: .75rem 1.5rem; background: #fff;
  border-bottom: 1px solid var(--line); }
h1 { font-size: 1.25rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; display: grid; gap: 1.5rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; }
#link-state { margin: 0; color: var(--muted); font-size: .9rem; }
#link-state.live::before { content: "\25CF  "; color: var(--ok); }
#link-state.down { color: var(--no); }
.empty { color: var(--muted); margin: 0; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em;
  overflow-wrap: anywhere; }
.card { border: 1px solid var(--line); border-left: 4px solid var(--warn); border-radius: 6px;
  padding: .75rem 1rem; margin-top: .75rem; }
.card.busy { opacity: .6; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 .75rem; }
.card dt { color: var(--muted); }
.card dd { margin: 0; overflow-wrap: anywhere; }
.left.soon { color: var(--no); font-weight: 600; }
.reason { display: flex; gap: .5rem; align-items: center; margin-bottom: .75rem; color: var(--muted); }
.reason input { flex: 1; font: inherit; padding: .3rem .5rem; border: 1px solid var(--line); border-radius: 4px; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; }
button { font: inherit; padding: .35rem .9rem; border-radius: 4px; border: 1px solid var(--line);
  background: #fff; color: var(--ink); cursor: pointer; }
button:focus-visible, input:focus-visible { outline: 3px solid #7aa7e0; outline-offset: 1px; }
button:disabled { cursor: default; opacity: .6; }
button.approve { background: var(--ok); border-color: var(--ok); color: #fff; }
button.deny { background: var(--no); border-color: var(--no); color: #fff; }
.error { color: var(--no); margin: .5rem 0 0; }
table { width: 100%; border-collapse: collapse; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
tr.selected td { background: #eef4fc; }
.unconfined { color: var(--no); font-weight: 600; }
.action-deny, .action-denied, .action-error { color: var(--no); }
.action-approve { color: var(--warn); }
.nowrap { white-space: nowrap; }
[hidden] { display: none !important; }
`;
