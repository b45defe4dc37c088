import { expect, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Fails the test on any uncaught error or console error in the page. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Clicks before hydration do nothing: wait until the app's effects have run. */
export async function waitForHydration(page: Page) {
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
}

/** POSTs JSON to the API (with a bearer token when given), expects a 2xx and returns the body. */
export async function postJson(request: APIRequestContext, path: string, data: unknown, token?: string) {
  const r = await request.post(path, { data, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  expect(r.ok(), `${path}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

/** A photo task in Hamilton starting `days` from now at 15:00 UTC, posted with `key`. */
export async function postPhotoTask(
  request: APIRequestContext,
  key: string,
  { title, maxTotal, products, days }: { title: string; maxTotal: number; products: number; days: number },
) {
  const start = new Date(Date.now() + days * 86400_000);
  start.setUTCHours(15, 0, 0, 0);
  return postJson(
    request,
    '/v1/tasks',
    {
      task_type: 'PRODUCT_PHOTO_ECOMM',
      title,
      location: { mode: 'onsite', address: '12 Hess St N, Hamilton ON', lat: 43.2595, lng: -79.8753 },
      schedule: { start_at: start.toISOString(), duration_hours: 2 },
      budget: { currency: 'CAD', max_total: maxTotal },
      task_spec: { product_count: products, background: 'white', angles: ['front'] },
    },
    key,
  );
}

/** A principal (`agentEmail`) with an open task and one sandbox talent, `email`, invited to quote on it. */
export async function invitedTalent(request: APIRequestContext, agentEmail: string, email: string) {
  const post = (path: string, data: unknown, token?: string) => postJson(request, path, data, token);
  const { api_key: key } = await post('/v1/developer/signup', { name: 'Portal Agent', email: agentEmail });
  const { talent } = await post('/v1/test_helpers/talent', { name: 'Ana Phone', email }, key);
  const task = await postPhotoTask(request, key, { title: 'Portal quote test', maxTotal: 300, products: 3, days: 5 });
  await post(`/v1/tasks/${task.id}/quote_requests`, { talent_ids: [talent.id] }, key);
  return { key, taskId: task.id as string };
}

/** The task's place: 12 Hess St N, Hamilton ON. */
export const SHOP = { latitude: 43.2595, longitude: -79.8753 };

/**
 * A sandbox talent, `email`, booked on a photo task at `SHOP` that starts in 70 minutes, so
 * check-ins are open (from two hours before the start). Returns the principal's key, the task and the booking.
 */
export async function bookedTalent(request: APIRequestContext, agentEmail: string, email: string, amount = 250) {
  const post = (path: string, data: unknown, token?: string) => postJson(request, path, data, token);
  const { api_key: key } = await post('/v1/developer/signup', { name: 'Booking Agent', email: agentEmail });
  const { talent, token } = await post('/v1/test_helpers/talent', { name: 'Ana Phone', email }, key);
  await post('/v1/test_helpers/billing/attach_card', { card: 'ok' }, key);
  const start = new Date(Date.now() + 70 * 60_000);
  const task = await post(
    '/v1/tasks',
    {
      task_type: 'PRODUCT_PHOTO_ECOMM',
      title: 'Check-in test shoot',
      location: { mode: 'onsite', address: '12 Hess St N, Hamilton ON', lat: SHOP.latitude, lng: SHOP.longitude },
      schedule: { start_at: start.toISOString(), duration_hours: 2 },
      budget: { currency: 'CAD', max_total: 300 },
      task_spec: { product_count: 3, background: 'white', angles: ['front'] },
    },
    key,
  );
  await post(`/v1/tasks/${task.id}/quote_requests`, { talent_ids: [talent.id] }, key);
  const quote = await post(`/v1/talent/${talent.id}/quote`, { task_id: task.id, amount, message: 'On it' }, token);
  await post(`/v1/quotes/${quote.id}/accept`, {}, key);
  const booking = await post('/v1/bookings', { quote_id: quote.id }, key);
  return {
    key,
    token: token as string,
    taskId: task.id as string,
    bookingId: booking.id as string,
    workOrderId: booking.work_order_id as string,
  };
}

/** Signs the talent `email` in through the mailed link (a sandbox talent's mail goes to `agentEmail`). */
export async function signInByLink(page: Page, email: string, agentEmail: string, wasm = true) {
  await page.goto('/portal');
  if (wasm) await waitForHydration(page);
  const link = await requestSignInLink(page, email, agentEmail);
  await page.goto(link);
  if (wasm) await waitForHydration(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/portal$/);
}

/** Fills in the developer sign-up form and sends it. */
export async function submitSignup(page: Page, name: string, email: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** The sign-up page shows a sandbox key, and the API takes it. */
export async function expectShownKeyToWork(page: Page, request: APIRequestContext) {
  const key = page.locator('#api-key');
  await expect(key).toHaveText(/^hd_test_[A-Za-z0-9]{32}$/);
  const apiKey = (await key.textContent()) ?? '';
  const tasks = await request.get('/v1/tasks', { headers: { Authorization: `Bearer ${apiKey}` } });
  expect(tasks.status()).toBe(200);
  expect((await tasks.json()).data).toEqual([]);
}

/** Asks for a sign-in link on /portal and waits for the mail (a sandbox talent's goes to `agentEmail`). */
export async function requestSignInLink(page: Page, email: string, agentEmail: string): Promise<string> {
  const before = mailedSignInLinks(agentEmail);
  await page.getByLabel('Your email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.locator('#sign-in-sent')).toContainText('sign-in link is on its way');
  let link: string | undefined;
  const fresh = () => mailedSignInLinks(agentEmail).find((l) => !before.includes(l));
  await expect.poll(() => (link = fresh()), { timeout: 10_000 }).toBeTruthy();
  return link!;
}

/** Every sign-in link to `to` (the portal or the dashboard) the server mailed to `email` (.eml files: quoted-printable text). */
export function mailedSignInLinks(email: string, to: 'portal' | 'dashboard' = 'portal'): string[] {
  const dir = process.env.HD_E2E_MAIL_DIR;
  if (!dir) throw new Error('HD_E2E_MAIL_DIR is not set (scripts/e2e.sh sets it)');
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.eml'));
  } catch {
    return [];
  }
  const links: string[] = [];
  for (const name of names) {
    const raw = readFileSync(join(dir, name), 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (!raw.includes(`To: ${email}`)) continue;
    const pattern =
      to === 'portal'
        ? /https?:\/\/\S+\/portal\/sign_in\/complete\?token=hd_signin_[A-Za-z0-9]+/
        : /https?:\/\/\S+\/dashboard\/sign_in\/complete\?token=hd_dashin_[A-Za-z0-9]+/;
    const link = raw.match(pattern);
    if (link) links.push(link[0]);
  }
  return links;
}

/** A phone's own authenticator (a fingerprint reader) in Chromium, through the DevTools protocol. */
export async function virtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}
