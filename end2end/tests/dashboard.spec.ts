import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import jpeg from 'jpeg-js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SHOP,
  bookedTalent,
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

test('the booking follows the check-in as it happens, and what the owner is typing stays', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const email = `checkin-owner-${Date.now()}@agents.example.com`;
  const b = await bookedTalent(request, email, `checkin-talent-${Date.now()}@example.com`);
  await signInToDashboard(page, email);
  await page.goto(`/dashboard/tasks/${b.taskId}`);
  await expect(page.locator('#checkin')).toHaveText('Not yet');
  await waitForHydration(page);
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'booking'));

  // Halfway through writing why they might cancel, the talent checks in through /v1.
  await page.locator('#cancel summary').click();
  await page.locator('#cancel-reason-field').fill('Rain is forecast for the afternoon');
  await postJson(request, `/v1/bookings/${b.bookingId}/checkin`, { lat: SHOP.latitude + 0.0002, lng: SHOP.longitude, accuracy_m: 6 }, b.token);
  await expect(page.locator('#checkin')).toContainText('22 m from the site · verified');
  await expect(page.locator('#checkin-map')).toContainText('Talent');
  await expect(page.locator('#checkin-map title')).toContainText("the talent's check-in 22 m from it");
  await expect(page.locator('#timeline [data-event="booking.checkin_recorded"]')).toHaveCount(1);
  await expect(page.locator('#cancel')).toHaveAttribute('open', '');
  await expect(page.locator('#cancel-reason-field')).toHaveValue('Rain is forecast for the afternoon');
  expect(await page.evaluate(() => (window as unknown as { marker: string }).marker)).toBe('booking');
  expect(errors).toEqual([]);
});

/** A real JPEG of `width`×`height`: a soft gradient, so QA finds it blurred. */
function softPhoto(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = 120 + Math.round((x / width) * 60);
      data[i + 1] = 140 + Math.round((y / height) * 40);
      data[i + 2] = 170;
      data[i + 3] = 255;
    }
  }
  return jpeg.encode({ data, width, height }, 85).data;
}

/** Uploads `bytes` as the talent (presigned PUT) and returns the file's id. */
async function uploadPhoto(request: APIRequestContext, token: string, workOrderId: string, name: string, bytes: Buffer) {
  const presigned = await postJson(
    request,
    '/v1/files/presign',
    { filename: name, content_type: 'image/jpeg', size_bytes: bytes.length, work_order_id: workOrderId },
    token,
  );
  const put = await request.put(presigned.upload_url, {
    data: bytes,
    headers: { 'Content-Type': 'image/jpeg' },
  });
  expect(put.ok(), await put.text()).toBeTruthy();
  return (await put.json()).id as string;
}

test('the owner sees the delivery arrive with thumbnails and QA, and accepts it over a failed QA', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const email = `review-owner-${Date.now()}@agents.example.com`;
  const b = await bookedTalent(request, email, `review-talent-${Date.now()}@example.com`);
  await signInToDashboard(page, email);
  await page.goto(`/dashboard/tasks/${b.taskId}`);
  await expect(page.locator('#no-deliverables')).toBeVisible();
  await waitForHydration(page);
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'review'));

  // The talent checks in and delivers through /v1 while the page is open.
  await postJson(request, `/v1/bookings/${b.bookingId}/checkin`, { lat: SHOP.latitude, lng: SHOP.longitude, accuracy_m: 8 }, b.token);
  const files = [];
  for (const n of [1, 2, 3]) files.push(await uploadPhoto(request, b.token, b.workOrderId, `shelf-${n}.jpg`, softPhoto(640, 480)));
  await postJson(request, `/v1/work_orders/${b.workOrderId}/deliverables`, { deliverables: [{ kind: 'photo', file_ids: files }] }, b.token);

  await expect(page.locator('#gallery li')).toHaveCount(3);
  await expect(page.locator('#qa-status')).toHaveText('failed');
  const first = page.locator('#gallery img').first();
  await first.scrollIntoViewIfNeeded();
  // The server's thumbnail, not the photo: 320 px wide.
  await expect.poll(() => first.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
  await expect(page.locator('#gallery a[data-full-size]').first()).toHaveAttribute('href', /.+/);
  await expect(page.locator('#qa-report [data-check="blur"][data-passed="false"]').first()).toBeVisible();
  await expect(page.locator('#request-changes-form input[value="blur"]')).toBeChecked();
  await expect(page.locator('#request-changes-form input[value="file_format"]')).not.toBeChecked();
  expect(await page.evaluate(() => (window as unknown as { marker: string }).marker)).toBe('review');
  await page.screenshot({ path: 'test-results/dashboard-review.png', fullPage: true });

  // Paying over a failed QA takes saying so.
  const accept = page.locator('#accept-work-form');
  await accept.getByLabel('Pay although QA failed (recorded in the audit log)').check();
  await accept.getByRole('button', { name: 'Accept and pay $250' }).click();
  await expect(page.locator('#work-status')).toContainText('accepted');
  await expect(page.locator('#timeline [data-event="work_order.accepted"]')).toHaveCount(1);
  const order = await (await request.get(`/v1/work_orders/${b.workOrderId}`, { headers: { Authorization: `Bearer ${b.key}` } })).json();
  expect(order.status).toBe('accepted');
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

test('an owner narrows the audit log, downloads it as CSV, and a bad day is named beside its field', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const email = `audit-owner-${Date.now()}@agents.example.com`;
  const a = await account(request, email);
  await signInToDashboard(page, email);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await expect(page.locator('#audit-entries [data-action="task.created"]')).toHaveCount(1);
  await expect(page.locator('#audit-entries [data-action="api_key.created"]')).toHaveCount(1);

  await page.getByLabel('Action').selectOption('task.created');
  await page.getByRole('button', { name: 'Show entries' }).click();
  await expect(page).toHaveURL(/action=task\.created/);
  await expect(page.locator('#audit-entries tbody tr')).toHaveCount(1);
  const row = page.locator('#audit-entries [data-action="task.created"]');
  await expect(row).toContainText(a.taskId);
  await expect(row).toContainText('by the API key');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#audit-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-prn_.*\.csv$/);
  const lines = (await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('id,created_at,actor_type,actor_id,action,entity_type,entity_id,request_id,summary');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`,task.created,task,${a.taskId},`);

  await page.goto('/dashboard/audit?from=2026-13-01');
  await expect(page.locator('#from-problems')).toContainText('YYYY-MM-DD');
  await expect(page.getByLabel('From (day)')).toHaveAttribute('aria-invalid', 'true');
  expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
});

test('an owner creates a task in the template form, sees the API refuse a start too soon beside its field, saves a draft and publishes it', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const email = `form-owner-${Date.now()}@agents.example.com`;
  const { api_key: key } = await postJson(request, '/v1/developer/signup', { name: 'Form Owner', email });
  await signInToDashboard(page, email);
  await page.getByRole('link', { name: 'New task' }).click();
  await page.getByRole('link', { name: 'Product photography' }).click();
  await expect(page).toHaveURL(/template=PRODUCT_PHOTO_ECOMM/);
  // The brief starts from the template's example.
  await expect(page.getByLabel('Background')).toHaveValue('white');
  await expect(page.getByRole('checkbox', { name: 'front' })).toBeChecked();

  await page.getByLabel('Title').fill('Browser form shoot');
  await page.getByLabel('Address').fill('12 Hess St N, Hamilton ON');
  await page.getByLabel('Starts (UTC)').fill('2026-01-01T09:00');
  await page.getByLabel('Product count').fill('7');
  await page.getByRole('button', { name: 'Publish for quotes' }).click();
  await expect(page.locator('#f-schedule-start_at-problems')).toContainText('must be at least 60 minutes in the future');
  await expect(page.getByLabel('Starts (UTC)')).toHaveAttribute('aria-invalid', 'true');
  // Nothing typed is lost.
  await expect(page.getByLabel('Title')).toHaveValue('Browser form shoot');
  await expect(page.getByLabel('Product count')).toHaveValue('7');

  const start = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 16);
  await page.getByLabel('Starts (UTC)').fill(start);
  await page.getByRole('button', { name: 'Save as a draft' }).click();
  await expect(page).toHaveURL(/\/dashboard\/tasks\/task_/);
  const taskId = page.url().split('/').pop()!;
  await expect(page.locator('#task-status')).toContainText(/draft/i);
  await page.locator('#publish-draft').click();
  await expect(page.locator('#task-status')).toContainText(/open for quotes/i);
  await expect(page.locator('#publish-form')).toHaveCount(0);

  const task = await (await request.get(`/v1/tasks/${taskId}`, { headers: { authorization: `Bearer ${key}` } })).json();
  expect(task.status).toBe('open_for_quotes');
  expect(task.title).toBe('Browser form shoot');
  expect(task.task_spec.product_count).toBe(7);
  expect(task.schedule.start_at).toBe(`${start}:00Z`);
  expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
});

test('an owner sees the card and the month on the money page and sets the spend cap, a bad one named beside its field', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const email = `money-owner-${Date.now()}@agents.example.com`;
  const a = await account(request, email);
  await signInToDashboard(page, email);
  await page.getByRole('link', { name: 'Money' }).click();
  await expect(page.getByRole('heading', { name: 'Money', level: 1 })).toBeVisible();
  await expect(page.locator('#card-on-file')).toContainText('ending');
  await expect(page.locator('#no-movements')).toBeVisible();

  await page.getByLabel('Monthly cap (whole dollars)').fill('12.5');
  await page.getByLabel('Currency').selectOption('CAD');
  await page.getByRole('button', { name: 'Save the cap' }).click();
  await expect(page.locator('#monthly_cap-problems')).toContainText('12.5');
  await expect(page.getByLabel('Monthly cap (whole dollars)')).toHaveValue('12.5');
  await page.getByLabel('Monthly cap (whole dollars)').fill('900');
  await page.getByRole('button', { name: 'Save the cap' }).click();
  await expect(page.locator('#cap-summary')).toContainText('900');
  const cap = await (await request.get('/v1/billing/spend_cap', { headers: { authorization: `Bearer ${a.key}` } })).json();
  expect([cap.monthly_cap, cap.currency]).toEqual([900, 'CAD']);
  expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
});

/**
 * A webhook receiver on a free loopback port: fails its first request with a 503 and asks for an
 * hour's wait (so only "Send again" sends it sooner), then takes all.
 */
async function receiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const first = received.length === 1;
      res.writeHead(first ? 503 : 200, { 'content-type': 'text/plain', ...(first ? { 'retry-after': '3600' } : {}) });
      res.end(first ? 'busy, try later' : 'thanks');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => server.close() };
}

test.describe('webhooks', () => {
  test('an owner adds a webhook, sees the failed delivery with the answer, sends it again, and rotates the secret', async ({ page, request }) => {
    const errors = watchForErrors(page);
    const hook = await receiver();
    try {
      const email = `hooks-owner-${Date.now()}@agents.example.com`;
      const a = await account(request, email);
      await signInToDashboard(page, email);
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();

      // No event chosen: the API's message beside the events.
      const form = page.locator('#create-webhook-form');
      await form.getByLabel('Address (https; http works for a sandbox account)').fill(hook.url);
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      await expect(page.locator('#events-problems')).toContainText('/events');
      await expect(form.getByLabel('Address (https; http works for a sandbox account)')).toHaveValue(hook.url);
      await form.getByLabel('quote.received').check();
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = (await page.locator('#created-webhook #webhook-secret').textContent())!;
      expect(secret).toMatch(/^whsec_/);

      // The talent quotes through /v1: the receiver answers 503 first.
      await postJson(request, `/v1/talent/${a.talentId}/quote`, { task_id: a.taskId, amount: 210, message: 'Hooked' }, a.talentToken);
      await expect.poll(() => hook.received.length, { timeout: 15_000 }).toBe(1);
      const card = page.locator('[data-endpoint]', { hasText: hook.url });
      await expect(async () => {
        await page.reload();
        await expect(card.locator('[data-delivery] [data-status-code]')).toHaveText('503', { timeout: 1_000 });
      }).toPass({ timeout: 15_000 });
      await expect(card.locator('[data-delivery]')).toContainText('quote.received');
      await expect(card.getByText("The receiver's answer")).toBeVisible();
      await expect(card.locator('[data-excerpt]')).toHaveText('busy, try later');

      await card.getByRole('button', { name: 'Send again' }).click();
      await expect.poll(() => hook.received.length, { timeout: 15_000 }).toBe(2);
      await expect(async () => {
        await page.reload();
        await expect(card.locator('[data-delivery]')).toHaveAttribute('data-delivery-status', 'succeeded', { timeout: 1_000 });
      }).toPass({ timeout: 15_000 });
      expect(hook.received[1].headers['x-humandispatch-event-id']).toBe(hook.received[0].headers['x-humandispatch-event-id']);

      await card.getByRole('button', { name: 'Rotate the signing secret' }).click();
      const rotated = (await page.locator('#rotated-webhook #webhook-secret').textContent())!;
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      expect(errors).toEqual([]);
    } finally {
      hook.close();
    }
  });
});
