// `shimgate ui` in a real browser: Debian's chromium, driven by playwright-core, answers a real,
// sandboxed session's admin-gated `gh pr merge` by clicking the page's buttons. Needs `npm run build`,
// bwrap (like approvals-e2e.test.ts) and /usr/bin/chromium (.ci/run installs it); fails when missing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startAgentProcess, startUiProcess, type AgentProcess, type UiProcess } from './testing/cli-processes.js';
import { SessionFixture } from './testing/session-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const fx = new SessionFixture();
let profile: string;
let browser: Browser;
let ui: UiProcess;
const startUi = (): Promise<UiProcess> => startUiProcess(fx.env);
const startAgent = (script: string): AgentProcess => startAgentProcess(fx.env, profile, fx.work, script);

/**
 * A fresh page on the printed URL. Script errors and CSP violations are collected. With `blockEvents`
 * the event stream fails, so the page must fall back to polling /api/approvals.
 */
async function openPage(blockEvents = false): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) problems.push(msg.text());
  });
  if (blockEvents) await page.route('**/api/events?*', (route) => route.abort());
  await page.goto(ui.url);
  await page.locator(blockEvents ? '#link-state:text("polling")' : '#link-state.live').waitFor({ timeout: 10_000 });
  return { page, problems };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it (apt-get install -y chromium; .ci/run does)`);
  const gh = fx.script('gh', 'echo "gh ran: $*"');
  profile = fx.profile({
    extends: 'default',
    mediation: {
      commands: [{ name: 'gh', binary_path: gh, intercept: [{ args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } }] }],
      approval: { timeout_secs: 60 },
    },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  ui = await startUi();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
  fx.cleanup();
});

/** Opens the page, starts the agent, runs `body`; the agent and the page never outlive the test. */
async function scenario(script: string, blockEvents: boolean, body: (page: Page, agent: AgentProcess) => Promise<void>): Promise<void> {
  const { page, problems } = await openPage(blockEvents);
  const agent = startAgent(script);
  try {
    await body(page, agent);
    expect(problems).toEqual([]);
  } finally {
    agent.kill();
    await page.close();
  }
}

describe('shimgate ui in chromium', () => {
  it('shows the waiting gh pr merge 7 with its details, and Approve lets it run', () =>
    scenario('gh pr merge 7; echo "rc=$?"', false, async (page, agent) => {
      const card = page.locator('[data-approval-id]', { hasText: 'gh pr merge 7' });
      await card.waitFor({ timeout: 20_000 });
      expect(await card.locator('h3').textContent()).toBe('gh pr merge 7');
      const details = await card.locator('dl').innerText();
      expect(details).toContain('gh intercept[0] ["pr","merge"]');
      expect(details).toMatch(/Time left\s+(1m00s|[45][0-9]s)/); // the profile gives 60 s
      expect(await card.getAttribute('data-approval-id')).toMatch(/^[a-z0-9]{6}$/);

      const sessionId = (await card.getAttribute('data-session-id'))!;
      await page.getByRole('button', { name: `Show the audit of session ${sessionId}` }).click();
      await page.locator('#audit tbody tr').first().waitFor();
      expect(await page.locator('#audit tbody tr').first().innerText()).toMatch(/gh pr merge 7\s+approve/);

      await card.getByRole('button', { name: 'Approve', exact: true }).click();
      const result = await agent.done;
      expect(result.stdout).toBe('gh ran: pr merge 7\nrc=0\n');
      await card.waitFor({ state: 'detached', timeout: 5_000 });
      const newest = page.locator('#audit tbody tr').filter({ hasText: 'passthrough' });
      await newest.waitFor({ timeout: 10_000 }); // the command event re-reads the selected session's audit
      expect(await newest.innerText()).toMatch(/gh pr merge 7\s+passthrough\s+0$/);
    }), 60_000);

  it('without the event stream polls, shows agent-chosen markup as text, and Deny with a reason gives 126', () =>
    scenario('gh pr merge "<b id=pwned>8</b>"; echo "rc=$?"', true, async (page, agent) => {
      const card = page.locator('[data-approval-id]', { hasText: 'pwned' });
      await card.waitFor({ timeout: 20_000 });
      expect(await card.locator('h3').textContent()).toBe("gh pr merge '<b id=pwned>8</b>'");
      expect(await page.locator('#pwned').count()).toBe(0);

      await card.getByRole('textbox', { name: 'Reason (optional)' }).fill('not on a Friday');
      await card.getByRole('button', { name: 'Deny' }).click();
      const result = await agent.done;
      expect(result.stdout).toBe('rc=126\n');
      expect(result.stderr).toContain('denied by root: not on a Friday');
      await card.waitFor({ state: 'detached', timeout: 5_000 });
    }), 60_000);
});
