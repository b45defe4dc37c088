import { expect, test } from '@playwright/test';
import { bookedTalent, invitedTalent, signInByLink, waitForHydration, watchForErrors } from './helpers';

test('a talent reads an invitation in plain words and declines it with a reason', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const email = `decline-${Date.now()}@example.com`;
  const agentEmail = `decline-agent-${Date.now()}@example.com`;
  const { key, taskId } = await invitedTalent(request, agentEmail, email);
  await signInByLink(page, email, agentEmail);

  await page.locator('#invitations').getByRole('link', { name: /Portal quote test/ }).click();
  await waitForHydration(page);
  await expect(page.locator('#invitation-asks')).toHaveText('30 photos (jpeg)');
  await expect(page.locator('#invitation-checks li').first()).toContainText(/\S \(photo_count\)$/);
  await expect(page.locator('#invitation-spec')).toContainText('Background');
  await expect(page.locator('#invitation-when')).toHaveText(/15:00 UTC$/);
  await expect(page.locator('#invitation-map title')).toContainText('150 m radius');

  // A blank reason is refused next to the field, in the API's words.
  await page.getByLabel('Why not (the agent sees this)').fill('   ');
  await page.getByRole('button', { name: 'Decline the job' }).click();
  await expect(page.locator('#reason-problems')).toHaveText('/reason: 1–1000 characters');
  await page.getByLabel('Why not (the agent sees this)').fill('Booked elsewhere that day');
  await page.getByRole('button', { name: 'Decline the job' }).click();
  await expect(page.locator('#declined')).toHaveText('You declined this job: Booked elsewhere that day');
  await expect(page.locator('#quote-form')).toHaveCount(0);

  const events = await (await request.get('/v1/events?limit=100', { headers: { Authorization: `Bearer ${key}` } })).json();
  const declined = events.data.find((e: { type: string }) => e.type === 'quote.declined');
  expect(declined.data).toMatchObject({ task_id: taskId, reason: 'Booked elsewhere that day' });
  // The refusals above answered 400 on purpose; nothing else may fail.
  expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
});

test('a talent edits the profile from the phone, makes a token and signs out on every device', async ({ page, browser, context, request }) => {
  const errors = watchForErrors(page);
  const email = `profile-${Date.now()}@example.com`;
  const agentEmail = `profile-agent-${Date.now()}@example.com`;
  const { key } = await invitedTalent(request, agentEmail, email);
  await signInByLink(page, email, agentEmail);
  // The same talent on a second device.
  const laptop = await browser.newContext();
  const other = await laptop.newPage();
  await signInByLink(other, email, agentEmail);

  await page.getByRole('link', { name: 'Profile and token' }).click();
  await waitForHydration(page);
  const talentId = (await page.locator('#profile-talent-id').textContent()) ?? '';
  await context.setGeolocation({ latitude: 43.26123, longitude: -79.91987, accuracy: 12 });
  await page.getByRole('button', { name: 'Use my location' }).click();
  await expect(page.locator('#home-located')).toContainText('GPS accuracy 12 m');
  await expect(page.getByLabel('Latitude')).toHaveValue('43.26123');
  await page.getByLabel('Time zone (such as America/Toronto; empty for UTC)').fill('America/Toronto');
  await page.getByLabel('How far you travel (km)').fill('5000');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#travel_radius_km-problems')).toHaveText('/travel_radius_km: must be between 1 and 1000');
  await page.getByLabel('How far you travel (km)').fill('25');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#profile-saved')).toHaveText('Profile saved.');
  await expect(page.locator('#home-area')).toHaveText('43.26, -79.92');
  const profile = await (await request.get(`/v1/talent/${talentId}`, { headers: { Authorization: `Bearer ${key}` } })).json();
  expect(profile).toMatchObject({ travel_radius_km: 25, home_area: { lat: 43.26, lng: -79.92 } });

  await page.getByRole('button', { name: 'Make a new token' }).click();
  const token = (await page.locator('#new-token').textContent()) ?? '';
  expect(token).toMatch(/^hd_talent_/);
  const asTalent = await request.post('/api/portal/profile', {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
  });
  expect((await asTalent.json()).talent_id).toBe(talentId);

  await page.getByRole('button', { name: 'Sign out on every device' }).click();
  await expect(page.getByLabel('Your email')).toBeVisible();
  await other.goto('/portal');
  await expect(other.getByLabel('Your email')).toBeVisible();
  await laptop.close();
  // The refusals above answered 400 on purpose; nothing else may fail.
  expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
});

test('the payouts page shows what a booking will pay and that it is held in escrow', async ({ page, request }) => {
  const email = `payouts-${Date.now()}@example.com`;
  const agentEmail = `payouts-agent-${Date.now()}@example.com`;
  await bookedTalent(request, agentEmail, email);
  await signInByLink(page, email, agentEmail);
  await page.getByRole('link', { name: 'Payouts' }).click();
  const row = page.locator('#earnings li').first();
  await expect(row).toContainText('Check-in test shoot');
  await expect(row.locator('.earned')).toHaveText('$212.50 CAD');
  await expect(row.locator('.earning-status')).toHaveText('Held in escrow: paid when the agent accepts the work');
  await expect(page.locator('#payout-account')).toContainText('sandbox payout account acct_sandbox_');
});
