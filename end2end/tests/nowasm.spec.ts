import { expect, test } from '@playwright/test';
import { SHOP, bookedTalent, expectShownKeyToWork, invitedTalent, requestSignInLink, signInByLink, submitSignup } from './helpers';

// With scripts off, no wasm runs: every form is the browser's own form post, and every page
// must read right as the server rendered it.
test.use({ javaScriptEnabled: false });

test('without the wasm a developer signs up and sees the key, once', async ({ page, request }) => {
  await page.goto('/developer/signup');
  await submitSignup(page, 'No Script Co', `noscript-${Date.now()}@example.com`);
  await expectShownKeyToWork(page, request);

  // The key was kept for one page: reloading does not show it again.
  await page.reload();
  await expect(page.locator('#api-key')).toHaveCount(0);
});

test('without the wasm a refused sign-up names the field next to it', async ({ page }) => {
  await page.goto('/developer/signup');
  await submitSignup(page, 'X', 'agent@localhost');
  await expect(page.locator('#signup-error')).toContainText('Sign-up validation failed');
  await expect(page.locator('#email-problems')).toContainText('/email');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Name')).toHaveAttribute('aria-invalid', 'false');
});

test('without the wasm talent sign in by the emailed link and quote', async ({ page, request }) => {
  const email = `nowasm-${Date.now()}@example.com`;
  const agentEmail = `nowasm-agent-${Date.now()}@example.com`;
  const { key, taskId } = await invitedTalent(request, agentEmail, email);

  await page.goto('/portal');
  const link = await requestSignInLink(page, email, agentEmail);
  await page.goto(link);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.locator('#portal-name')).toHaveText('Ana Phone');

  await page.getByRole('link', { name: /Portal quote test/ }).click();
  // A price above the budget is refused next to the field, in the API's words.
  await page.getByLabel(/Your price/).fill('900');
  await page.getByLabel('Message to the agent').fill('Tuesday works.');
  await page.getByRole('button', { name: 'Send quote' }).click();
  await expect(page.locator('#quote-error')).toContainText('Quote above the budget');
  await expect(page.locator('#amount-problems')).toContainText('/amount');
  // The refused form comes back as it was sent: nothing typed is lost.
  await expect(page.getByLabel(/Your price/)).toHaveValue('900');
  await expect(page.getByLabel('Message to the agent')).toHaveValue('Tuesday works.');

  await page.getByLabel(/Your price/).fill('250');
  await page.getByRole('button', { name: 'Send quote' }).click();
  await expect(page.locator('#my-quote')).toContainText('$250 CAD');
  const quotes = await (await request.get(`/v1/tasks/${taskId}/quotes`, { headers: { Authorization: `Bearer ${key}` } })).json();
  expect(quotes.data.map((q: { amount: number }) => q.amount)).toEqual([250]);

  // The phone menu opens without the wasm too.
  await page.getByLabel('Menu').click();
  await page.locator('#mobile-nav').getByRole('link', { name: 'Talent portal' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Your email')).toBeVisible();
});

test('without the wasm a booked talent checks in with a typed position', async ({ page, request }) => {
  const email = `nowasm-checkin-${Date.now()}@example.com`;
  const agentEmail = `nowasm-checkin-agent-${Date.now()}@example.com`;
  const { key, bookingId } = await bookedTalent(request, agentEmail, email, 200);
  await signInByLink(page, email, agentEmail, false);
  await page.locator('#bookings').getByRole('link', { name: /Check-in test shoot/ }).click();
  await expect(page.locator('#payout')).toHaveText('$170.00 CAD');
  // The button that reads the GPS needs the wasm; the fields do not.
  await expect(page.getByRole('button', { name: 'Use my location' })).toHaveCount(0);
  await page.getByLabel('Latitude').fill(String(SHOP.latitude));
  await page.getByLabel('Longitude').fill(String(SHOP.longitude));
  await page.getByLabel('GPS accuracy (metres)').fill('9');
  await page.getByRole('button', { name: 'Check in here' }).click();
  await expect(page.locator('#checkin')).toContainText('0 m from the site, inside its 150 m radius: verified.');
  const booking = await (await request.get(`/v1/bookings/${bookingId}`, { headers: { Authorization: `Bearer ${key}` } })).json();
  expect(booking.checkin.verified).toBe(true);
});

test('without the wasm a talent declines an invitation and saves the profile', async ({ page, request }) => {
  const email = `nowasm-decline-${Date.now()}@example.com`;
  const agentEmail = `nowasm-decline-agent-${Date.now()}@example.com`;
  await invitedTalent(request, agentEmail, email);
  await signInByLink(page, email, agentEmail, false);

  await page.getByRole('link', { name: /Portal quote test/ }).click();
  await expect(page.locator('#invitation-asks')).toHaveText('30 photos (jpeg)');
  await page.getByLabel('Why not (the agent sees this)').fill('Too far for me');
  await page.getByRole('button', { name: 'Decline the job' }).click();
  await expect(page.locator('#declined')).toHaveText('You declined this job: Too far for me');

  await page.goto('/portal/profile');
  await expect(page.getByRole('button', { name: 'Use my location' })).toHaveCount(0);
  await page.getByLabel('Latitude').fill('north');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#home_lat-problems')).toHaveText('/home_lat: "north" is not a number');
  await expect(page.getByLabel('Latitude')).toHaveValue('north');
  await page.getByLabel('Latitude').fill('43.3');
  await page.getByLabel('Skills (separated by commas)').fill('photography, drone');
  await page.getByLabel('Portfolio links (one per line)').fill('https://ana.example.com\nhttps://ana.example.com/events');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#profile-saved')).toHaveText('Profile saved.');
  await expect(page.getByLabel('Skills (separated by commas)')).toHaveValue('photography, drone');
  // Saved again untouched, the links stay (the form shows what it holds).
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByLabel('Portfolio links (one per line)')).toHaveValue('https://ana.example.com\nhttps://ana.example.com/events');
});
