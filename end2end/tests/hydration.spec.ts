import { expect, test } from '@playwright/test';
import { waitForHydration, watchForErrors } from './helpers';

test('the dashboard hydrates and refreshes its status through a server function', async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto('/dashboard');
  // Rendered on the server, from the database.
  await expect(page.locator('#status-database')).toHaveText('sqlite');
  await waitForHydration(page);

  const firstTime = await page.locator('#status-time').textContent();
  const answer = page.waitForResponse(
    (r) => r.url().endsWith('/api/system/status') && r.request().method() === 'POST',
  );
  await page.locator('#refresh-status').click();
  const response = await answer;
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.database).toBe('sqlite');
  // The page shows the new answer, not the server-rendered one.
  await expect(page.locator('#status')).toHaveAttribute('data-refreshes', '1');
  await expect(page.locator('#status-time')).toHaveText(body.database_time);
  expect(body.database_time).not.toBe(firstTime);
  expect(errors).toEqual([]);
});

test('the phone menu opens, navigates and closes once hydrated', async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto('/');
  await waitForHydration(page);
  const menu = page.locator('#menu');
  const nav = page.locator('#mobile-nav');
  await expect(nav).toBeHidden();
  await menu.getByLabel('Menu').click();
  await expect(nav).toBeVisible();
  await nav.getByRole('link', { name: 'Talent portal' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole('heading', { name: 'Talent portal' })).toBeVisible();
  await expect(nav).toBeHidden();
  expect(errors).toEqual([]);
});

test('the stylesheet is served and applied', async ({ page }) => {
  await page.goto('/');
  const cta = page.getByRole('link', { name: 'Open the dashboard' });
  // bg-indigo-600 from the Tailwind build; unstyled it would be transparent.
  const background = await cta.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background).not.toBe('rgba(0, 0, 0, 0)');
});
