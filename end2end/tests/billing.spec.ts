import { expect, test } from '@playwright/test';
import { waitForHydration, watchForErrors } from './helpers';

test('a person pastes their key and adds a sandbox card on a phone', async ({ page, request }) => {
  const signup = await request.post('/v1/developer/signup', { data: { name: 'Card Owner', email: 'owner@cards.example.com' } });
  expect(signup.status()).toBe(201);
  const { api_key: key } = await signup.json();

  const errors = watchForErrors(page);
  // The seed's browser form lives at GET /v1/billing/setup.
  await page.goto('/v1/billing/setup');
  await expect(page).toHaveURL(/\/billing\/setup$/);
  await waitForHydration(page);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL(/\/billing\/sandbox\/hd_setup_/);
  await waitForHydration(page);
  await page.locator('#card-ok').click();
  await expect(page.locator('#card-added')).toContainText('4242');

  const status = await request.get('/v1/billing/status', { headers: { Authorization: `Bearer ${key}` } });
  expect((await status.json()).has_payment_method).toBe(true);
  expect(errors).toEqual([]);
});

test('a wrong key is explained on the form', async ({ page }) => {
  await page.goto('/billing/setup');
  await waitForHydration(page);
  await page.getByLabel('API key').fill('hd_test_not_a_real_key_at_all_000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('#billing-setup-error')).toContainText('Unknown API key');
});
