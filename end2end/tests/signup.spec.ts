import { expect, test } from '@playwright/test';
import { waitForHydration, watchForErrors } from './helpers';

test('a developer signs up on a phone and the key works against the API', async ({ page, request }) => {
  const errors = watchForErrors(page);
  await page.goto('/developer/signup');
  await waitForHydration(page);
  await page.getByLabel('Name').fill('Phone Agent Co');
  await page.getByLabel('Email').fill('agent@phone.example.com');
  await page.getByRole('button', { name: 'Create account' }).click();

  const key = page.locator('#api-key');
  await expect(key).toHaveText(/^hd_test_[A-Za-z0-9]{32}$/);
  const apiKey = (await key.textContent()) ?? '';

  const tasks = await request.get('/v1/tasks', { headers: { Authorization: `Bearer ${apiKey}` } });
  expect(tasks.status()).toBe(200);
  expect((await tasks.json()).data).toEqual([]);
  expect(errors).toEqual([]);
});

test('sign-up problems are listed next to the form', async ({ page }) => {
  await page.goto('/developer/signup');
  await waitForHydration(page);
  await page.getByLabel('Name').fill('X');
  // A browser-valid address the server refuses: no dot in the domain.
  await page.getByLabel('Email').fill('agent@localhost');
  await page.getByRole('button', { name: 'Create account' }).click();
  const problem = page.locator('#signup-error');
  await expect(problem).toContainText('Sign-up validation failed');
  await expect(problem).toContainText('/email');
});
