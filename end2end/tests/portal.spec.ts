import { expect, test, type APIRequestContext } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { postJson, waitForHydration, watchForErrors } from './helpers';

/** A principal (`agentEmail`) with an open task and one sandbox talent, `email`, invited to quote on it. */
async function invitedTalent(request: APIRequestContext, agentEmail: string, email: string) {
  const post = (path: string, data: unknown, token?: string) => postJson(request, path, data, token);
  const { api_key: key } = await post('/v1/developer/signup', { name: 'Portal Agent', email: agentEmail });
  const { talent } = await post('/v1/test_helpers/talent', { name: 'Ana Phone', email }, key);
  const start = new Date(Date.now() + 5 * 86400_000);
  start.setUTCHours(15, 0, 0, 0);
  const task = await post(
    '/v1/tasks',
    {
      task_type: 'PRODUCT_PHOTO_ECOMM',
      title: 'Portal quote test',
      location: { mode: 'onsite', address: '12 Hess St N, Hamilton ON', lat: 43.2595, lng: -79.8753 },
      schedule: { start_at: start.toISOString(), duration_hours: 2 },
      budget: { currency: 'CAD', max_total: 300 },
      task_spec: { product_count: 3, background: 'white', angles: ['front'] },
    },
    key,
  );
  await post(`/v1/tasks/${task.id}/quote_requests`, { talent_ids: [talent.id] }, key);
  return { key, taskId: task.id as string };
}

/** The sign-in link the server mailed to `email` (an .eml file: quoted-printable text). */
function mailedSignInLink(email: string): string | undefined {
  const dir = process.env.HD_E2E_MAIL_DIR;
  if (!dir) throw new Error('HD_E2E_MAIL_DIR is not set (scripts/e2e.sh sets it)');
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.eml'));
  } catch {
    return undefined;
  }
  for (const name of names) {
    const raw = readFileSync(join(dir, name), 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (!raw.includes(`To: ${email}`)) continue;
    const link = raw.match(/https?:\/\/\S+\/portal\/sign_in\/complete\?token=hd_signin_[A-Za-z0-9]+/);
    if (link) return link[0];
  }
  return undefined;
}

test('talent sign in from the emailed link on a phone and send a quote', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const email = `ana-${Date.now()}@example.com`;
  const agentEmail = `agent-${Date.now()}@example.com`;
  const { key, taskId } = await invitedTalent(request, agentEmail, email);

  await page.goto('/portal');
  await waitForHydration(page);
  await page.getByLabel('Your email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.locator('#sign-in-sent')).toContainText('sign-in link is on its way');

  // The server's mail worker writes the message; wait for it. A sandbox talent's address is made
  // up, so their mail goes to the principal who created the profile.
  let link: string | undefined;
  await expect.poll(() => (link = mailedSignInLink(agentEmail)), { timeout: 10_000 }).toBeTruthy();

  await page.goto(link!);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.locator('#portal-name')).toHaveText('Ana Phone');

  await page.getByRole('link', { name: /Portal quote test/ }).click();
  await expect(page.locator('#quote-form')).toBeVisible();
  await page.getByLabel(/Your price/).fill('250');
  await page.getByLabel('Message to the agent').fill('I can shoot these on Tuesday.');
  await page.getByRole('button', { name: 'Send quote' }).click();
  await expect(page.locator('#my-quote')).toContainText('$250 CAD');

  // The agent sees the quote through the API.
  const quotes = await (await request.get(`/v1/tasks/${taskId}/quotes`, { headers: { Authorization: `Bearer ${key}` } })).json();
  expect(quotes.data.map((q: { amount: number; message: string }) => [q.amount, q.message])).toEqual([
    [250, 'I can shoot these on Tuesday.'],
  ]);

  expect(errors).toEqual([]);

  // The link worked once: opening it again cannot sign anyone in.
  await page.goto(link!);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#sign-in-error')).toContainText('already used or expired');
});
