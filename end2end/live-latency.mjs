// How long an event takes to show on an open dashboard page: the owner's task list is open in
// Debian's chromium; an agent posts a task through /v1, and the page marks the moment the task's
// row appears (a MutationObserver, on the same clock as this script: one machine). Prints p50,
// p90, p99 and the worst of HD_LIVE_EVENTS (100) tasks, one after another. Run by
// scripts/bench-live.sh against the release server. A benchmark: it prints figures and asserts
// nothing.
import { chromium } from 'playwright-core';

const base = process.env.HD_TEST_URL;
const cookie = process.env.HD_LH_OWNER_COOKIE;
const key = process.env.HD_BENCH_KEY;
const count = Number(process.env.HD_LIVE_EVENTS ?? 100);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/dashboard`);
  await page.waitForSelector('#app[data-hydrated="true"]');
  if (!(await page.locator('#tasks').count())) throw new Error(`not signed in: ${(await page.locator('main').innerText()).slice(0, 300)}`);
  // The stream is open once the island has followed it: one round trip to be sure.
  await page.evaluate(() => {
    window.seen = new Map();
    new MutationObserver(() => {
      for (const row of document.querySelectorAll('[data-task]')) {
        if (!window.seen.has(row.dataset.task)) window.seen.set(row.dataset.task, Date.now());
      }
    // Rows are patched in place once the page is full: their attributes change, not the list.
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-task'] });
  });
  const start = new Date(Date.now() + 5 * 86400_000).toISOString();
  const delays = [];
  for (let i = 0; i < count; i++) {
    const sent = Date.now();
    const r = await fetch(`${base}/v1/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        task_type: 'PRODUCT_PHOTO_ECOMM',
        title: `Live ${i}`,
        location: { mode: 'onsite', address: '12 Hess St N, Hamilton ON', lat: 43.2595, lng: -79.8753 },
        schedule: { start_at: start, duration_hours: 2 },
        budget: { currency: 'CAD', max_total: 300 },
        task_spec: { product_count: 3, background: 'white', angles: ['front'] },
      }),
    });
    if (r.status !== 201) throw new Error(`POST /v1/tasks: ${r.status} ${await r.text()}`);
    const { id } = await r.json();
    const shown = await page
      .waitForFunction((id) => window.seen.get(id), id, { timeout: 30_000 })
      .catch(async (e) => {
        const state = await page.locator('#tasks').evaluate((t) => `${t.dataset.liveUpdates} updates; ${t.innerText.slice(0, 200)}`);
        throw new Error(`task ${id} did not appear (${state}): ${e.message}`);
      });
    delays.push((await shown.jsonValue()) - sent);
  }
  delays.sort((a, b) => a - b);
  const at = (q) => delays[Math.min(delays.length - 1, Math.ceil(q * delays.length) - 1)];
  console.log(
    `event to page, ${delays.length} tasks posted through /v1 one after another: ` +
      `p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${delays[delays.length - 1]} ms`,
  );
} finally {
  await browser.close();
}
