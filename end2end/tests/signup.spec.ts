import { expect, test } from '@playwright/test';
import { expectShownKeyToWork, submitSignup, waitForHydration, watchForErrors } from './helpers';

test('a developer signs up on a phone and the key works against the API', async ({ page, request }) => {
  const errors = watchForErrors(page);
  await page.goto('/developer/signup');
  await waitForHydration(page);
  await submitSignup(page, 'Phone Agent Co', 'agent@phone.example.com');
  await expectShownKeyToWork(page, request);
  expect(errors).toEqual([]);
});

test('sign-up problems are listed next to the form', async ({ page }) => {
  await page.goto('/developer/signup');
  await waitForHydration(page);
  // A browser-valid address the server refuses: no dot in the domain.
  await submitSignup(page, 'X', 'agent@localhost');
  const problem = page.locator('#signup-error');
  await expect(problem).toContainText('Sign-up validation failed');
  await expect(page.locator('#email-problems')).toContainText('/email');
});
