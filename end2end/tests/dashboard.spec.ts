import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  mailedSignInLinks,
  postJson,
  postPhotoTask,
  virtualAuthenticator,
  waitForHydration,
  watchForErrors,
} from './helpers';

/** Signs the owner of `email` in to the dashboard through the mailed link. */
async function signInToDashboard(page: Page, email: string) {
  await page.goto('/dashboard');
  const before = mailedSignInLinks(email, 'dashboard');
  await page.getByLabel('Account email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.locator('#dashboard-sign-in-sent')).toContainText('sign-in link is on its way');
  let link: string | undefined;
  const fresh = () => mailedSignInLinks(email, 'dashboard').find((l) => !before.includes(l));
  await expect.poll(() => (link = fresh()), { timeout: 10_000 }).toBeTruthy();
  await page.goto(link!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** An account with a card, a sandbox talent, and an open task the talent is invited to. */
async function account(request: APIRequestContext, email: string) {
  const post = (path: string, data: unknown, token?: string) => postJson(request, path, data, token);
  const { api_key: key } = await post('/v1/developer/signup', { name: 'Dashboard Owner', email });
  const { talent, token } = await post(
    '/v1/test_helpers/talent',
    { name: 'Ana Phone', email: `ana-${Date.now()}@example.com`, home_lat: 43.25, home_lng: -79.87 },
    key,
  );
  await post('/v1/test_helpers/billing/attach_card', { card: 'ok' }, key);
  const task = await postPhotoTask(request, key, { title: 'Live dashboard shoot', maxTotal: 300, products: 3, days: 5 });
  await post(`/v1/tasks/${task.id}/quote_requests`, { talent_ids: [talent.id] }, key);
  return { key: key as string, talentId: talent.id as string, talentToken: token as string, taskId: task.id as string };
}

test('an owner signs in by link, watches a quote arrive without a reload, accepts and books it', async ({
  page,
  request,
}) => {
  const errors = watchForErrors(page);
  const email = `owner-${Date.now()}@agents.example.com`;
  const a = await account(request, email);
  await signInToDashboard(page, email);
  await expect(page.locator('#dashboard-account')).toHaveText('Dashboard Owner');
  await expect(page.locator('[data-count="open_for_quotes"]')).toHaveText('1');

  // The list follows the account's events: a task an agent posts appears without a reload.
  await waitForHydration(page);
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
  const second = await postPhotoTask(request, a.key, { title: 'Posted while watching', maxTotal: 200, products: 2, days: 6 });
  await expect(page.locator(`[data-task="${second.id}"]`)).toContainText('Posted while watching');
  await expect(page.locator('[data-count="open_for_quotes"]')).toHaveText('2');

  // The task page: no quote yet; the talent quotes through /v1 and the quote appears.
  await page.locator(`[data-task="${a.taskId}"] a`).click();
  await expect(page.getByRole('heading', { name: 'Live dashboard shoot' })).toBeVisible();
  await expect(page.locator('#no-quotes')).toBeVisible();
  await waitForHydration(page);
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'task page'));
  const quote = await postJson(
    request,
    `/v1/talent/${a.talentId}/quote`,
    { task_id: a.taskId, amount: 240, message: 'I can shoot this on Tuesday.' },
    a.talentToken,
  );
  const row = page.locator(`[data-quote="${quote.id}"]`);
  await expect(row).toContainText('I can shoot this on Tuesday.');
  await expect(row).toContainText('$240');
  await expect(row).toContainText(/1\.\d km/);
  expect(await page.evaluate(() => (window as unknown as { marker: string }).marker)).toBe('task page');
  await expect(page.locator('#timeline [data-event="quote.received"]')).toHaveCount(1);

  // Accept, then book with the card on file: plain forms, the page comes back updated.
  await row.getByRole('button', { name: 'Accept $240' }).click();
  await expect(row.locator('[data-quote-status]')).toHaveText('accepted');
  await row.getByRole('button', { name: 'Book and hold $240' }).click();
  await expect(page.locator('#booking-status')).toHaveText('confirmed');
  await expect(page.locator('#escrow-held')).toContainText('$240');
  await expect(page.locator('#task-status')).toHaveText('booked');
  await expect(page.locator('#timeline [data-event="booking.confirmed"]')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('without the wasm the dashboard signs in, lists and accepts with plain forms, and shows the refusal', async ({
  page,
  request,
}) => {
  await page.route(/\.wasm$/, (route) => route.abort());
  const email = `nowasm-owner-${Date.now()}@agents.example.com`;
  const a = await account(request, email);
  const quote = await postJson(
    request,
    `/v1/talent/${a.talentId}/quote`,
    { task_id: a.taskId, amount: 260, message: 'Plain forms' },
    a.talentToken,
  );
  await signInToDashboard(page, email);
  await page.goto(`/dashboard/tasks/${a.taskId}`);
  const row = page.locator(`[data-quote="${quote.id}"]`);
  // Accepted through /v1 behind the page's back: the page's own form is then refused, and
  // says why with the API's message.
  await postJson(request, `/v1/quotes/${quote.id}/accept`, {}, a.key);
  await row.getByRole('button', { name: 'Accept $260' }).click();
  await expect(page.locator('#task-action-error')).toContainText('accepted');
  await expect(row.locator('[data-quote-status]')).toHaveText('accepted');
});

test('after the link an owner adds a passkey, and it signs them in to the dashboard, not to the portal', async ({
  page,
  context,
  request,
}) => {
  const errors = watchForErrors(page);
  const email = `passkey-owner-${Date.now()}@agents.example.com`;
  await account(request, email);
  const laptop = await virtualAuthenticator(context, page);
  await signInToDashboard(page, email);
  const offer = page.locator('#passkey-offer');
  await offer.getByLabel('Name it (such as the phone it is on)').fill('Work laptop');
  await offer.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.locator('#passkey-offer')).toHaveCount(0);
  expect(await laptop.credentials()).toHaveLength(1);

  await page.locator('#dashboard-sign-out').click();
  await expect(page.getByLabel('Account email')).toBeVisible();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.locator('#dashboard-account')).toHaveText('Dashboard Owner');

  // The portal does not take an owner's passkey.
  await page.goto('/portal');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.locator('#passkey-sign-in [data-passkey-status]')).toContainText('signs in to the dashboard');
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('an owner creates an API key on the keys page, uses it, and cannot revoke the last one', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const email = `keys-owner-${Date.now()}@agents.example.com`;
  const a = await account(request, email);
  await signInToDashboard(page, email);
  await page.getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  await page.getByLabel('Name (such as the agent that uses it)').fill('Scheduling agent');
  await page.getByRole('button', { name: 'Create key' }).click();
  const shown = (await page.locator('#new-api-key').textContent())!;
  expect(shown).toMatch(/^hd_test_/);
  const used = await request.get('/v1/tasks', { headers: { Authorization: `Bearer ${shown}` } });
  expect(used.status()).toBe(200);

  // Reloaded: the key is listed with its last use, and never shown again.
  await page.goto('/dashboard/keys');
  await expect(page.locator('#new-api-key')).toHaveCount(0);
  const row = page.locator('#keys tr', { hasText: 'Scheduling agent' });
  await expect(row.locator('[data-last-used]')).not.toHaveText('Never');
  // Revoke the sign-up key, then the last one is refused with the API's message.
  await page.locator('#keys tr', { hasText: 'default' }).getByRole('button', { name: 'Revoke default' }).click();
  await expect(page.locator('#keys tr[data-revoked="true"]')).toHaveCount(1);
  expect((await request.get('/v1/tasks', { headers: { Authorization: `Bearer ${a.key}` } })).status()).toBe(401);
  await row.getByRole('button', { name: 'Revoke Scheduling agent' }).click();
  await expect(page.locator('#revoke-error')).toContainText('last active API key');
  expect(errors.filter((e) => !e.includes('403'))).toEqual([]);
});
