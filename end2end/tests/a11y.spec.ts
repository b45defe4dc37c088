import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { bookedTalent, mailedSignInLinks, postJson, signInByLink, waitForHydration } from './helpers';

/** axe's serious and critical violations on the page as it stands, printed with the count of all. */
async function seriousViolations(page: Page, name: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  console.log(`[axe] ${name}: ${violations.length} violations, ${serious.length} serious or critical`);
  return serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('every portal page has no serious or critical accessibility violation', async ({ page, request }) => {
  test.setTimeout(90_000);
  const email = `a11y-${Date.now()}@example.com`;
  const agentEmail = `a11y-agent-${Date.now()}@example.com`;
  const { key, bookingId } = await bookedTalent(request, agentEmail, email);
  const found: Record<string, string[]> = {};

  await page.goto('/portal');
  await waitForHydration(page);
  found['/portal signed out'] = await seriousViolations(page, '/portal signed out');
  await signInByLink(page, email, agentEmail);

  // An open invitation, so that its page shows the quote and decline forms.
  const task = await postJson(request, '/v1/tasks', {
    task_type: 'PRODUCT_PHOTO_ECOMM',
    title: 'Accessibility shoot',
    location: { mode: 'onsite', address: '12 Hess St N, Hamilton ON', lat: 43.2595, lng: -79.8753 },
    schedule: { start_at: new Date(Date.now() + 5 * 86400_000).toISOString(), duration_hours: 2 },
    budget: { currency: 'CAD', max_total: 300 },
    task_spec: { product_count: 3, background: 'white', angles: ['front'] },
  }, key);
  const talentId = (await (await request.get(`/v1/bookings/${bookingId}`, { headers: { Authorization: `Bearer ${key}` } })).json()).talent_id;
  const invited = await postJson(request, `/v1/tasks/${task.id}/quote_requests`, { talent_ids: [talentId] }, key);

  for (const path of ['/portal', `/portal/invitations/${invited.invited[0].id}`, `/portal/bookings/${bookingId}`, '/portal/profile', '/portal/payouts']) {
    await page.goto(path);
    await waitForHydration(page);
    if (path.includes('/bookings/')) await expect(page.locator('#uploader .uppy-Dashboard')).toBeVisible();
    found[path] = await seriousViolations(page, path);
  }
  expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual({});
});

test('every dashboard page has no serious or critical accessibility violation', async ({ page, request }) => {
  test.setTimeout(90_000);
  const email = `a11y-owner-${Date.now()}@example.com`;
  const { key, bookingId } = await bookedTalent(request, email, `a11y-ana-${Date.now()}@example.com`);
  const found: Record<string, string[]> = {};
  await page.goto('/dashboard');
  await waitForHydration(page);
  found['/dashboard signed out'] = await seriousViolations(page, '/dashboard signed out');

  const before = mailedSignInLinks(email, 'dashboard');
  await page.getByLabel('Account email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  let link: string | undefined;
  await expect.poll(() => (link = mailedSignInLinks(email, 'dashboard').find((l) => !before.includes(l))), { timeout: 10_000 }).toBeTruthy();
  await page.goto(link!);
  found['/dashboard/sign_in/complete'] = await seriousViolations(page, '/dashboard/sign_in/complete');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  const booking = await (await request.get(`/v1/bookings/${bookingId}`, { headers: { Authorization: `Bearer ${key}` } })).json();
  for (const path of ['/dashboard', `/dashboard/tasks/${booking.task_id}`, '/dashboard/keys', '/dashboard/webhooks', '/dashboard/audit', '/dashboard/audit?from=2026-13-01', '/dashboard/tasks/new', '/dashboard/tasks/new?template=RETAIL_AUDIT_PHOTO_CHECK', '/dashboard/money']) {
    await page.goto(path);
    await waitForHydration(page);
    found[path] = await seriousViolations(page, path);
  }
  expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual({});
});
