import { expect, test } from '@playwright/test';
import { invitedTalent, requestSignInLink, waitForHydration, watchForErrors } from './helpers';

test('talent sign in from the emailed link on a phone and send a quote', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const email = `ana-${Date.now()}@example.com`;
  const agentEmail = `agent-${Date.now()}@example.com`;
  const { key, taskId } = await invitedTalent(request, agentEmail, email);

  await page.goto('/portal');
  await waitForHydration(page);
  const link = await requestSignInLink(page, email, agentEmail);

  await page.goto(link);
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
  await page.goto(link);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#sign-in-error')).toContainText('already used or expired');
});
