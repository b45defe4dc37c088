import { expect, test } from '@playwright/test';
import { SHOP, bookedTalent, signInByLink, waitForHydration, watchForErrors } from './helpers';

test('a booked talent previews a check-in 5 km away, then checks in on site, verified', async ({ page, context, request }) => {
  const errors = watchForErrors(page);
  const email = `checkin-${Date.now()}@example.com`;
  const agentEmail = `checkin-agent-${Date.now()}@example.com`;
  const { key, bookingId } = await bookedTalent(request, agentEmail, email);
  await signInByLink(page, email, agentEmail);

  await page.locator('#bookings').getByRole('link', { name: /Check-in test shoot/ }).click();
  await expect(page).toHaveURL(new RegExp(`/portal/bookings/${bookingId}$`));
  await waitForHydration(page);
  await expect(page.locator('#booking-status')).toHaveText('Booked: check in on site');
  await expect(page.locator('#payout')).toHaveText('$212.50 CAD');
  await expect(page.locator('#escrow-held')).toHaveText('$250.00 CAD');

  // 5 km north of the shop: explained, not verified, and nothing is recorded yet.
  await context.setGeolocation({ latitude: SHOP.latitude + 0.045, longitude: SHOP.longitude, accuracy: 15 });
  await page.getByRole('button', { name: 'Use my location' }).click();
  await expect(page.locator('#placement')).toContainText('This check-in would not be verified');
  await expect(page.locator('#placement')).toContainText('GPS accuracy 15 m');
  await expect(page.locator('#placement')).toContainText(/5\d\d\d m from the task, outside its 150 m radius/);
  await expect(page.locator('#geofence-map title')).toContainText('your position 5.0 km from it');
  await expect(page.getByLabel('Latitude')).toHaveValue(String(SHOP.latitude + 0.045));

  // On site: verified.
  await context.setGeolocation({ latitude: SHOP.latitude + 0.0002, longitude: SHOP.longitude, accuracy: 6 });
  await page.getByRole('button', { name: 'Use my location' }).click();
  await expect(page.locator('#placement')).toContainText('inside its 150 m radius: this check-in will be verified');
  await page.getByRole('button', { name: 'Check in here' }).click();
  await expect(page.locator('#checkin')).toContainText('22 m from the site, inside its 150 m radius: verified.');
  await expect(page.locator('#booking-status')).toHaveText('Checked in: the job is on');

  const booking = await (await request.get(`/v1/bookings/${bookingId}`, { headers: { Authorization: `Bearer ${key}` } })).json();
  expect(booking.status).toBe('in_progress');
  expect(booking.checkin.verified).toBe(true);
  expect(booking.checkin.accuracy_m).toBe(6);
  expect(errors).toEqual([]);
});

test.describe('with location blocked', () => {
  test.use({ permissions: [] });

  test('a talent who blocks location is told how to go on', async ({ page, request }) => {
    const email = `denied-${Date.now()}@example.com`;
    const agentEmail = `denied-agent-${Date.now()}@example.com`;
    const { bookingId } = await bookedTalent(request, agentEmail, email);
    await signInByLink(page, email, agentEmail);
    await page.goto(`/portal/bookings/${bookingId}`);
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Use my location' }).click();
    await expect(page.locator('#placement')).toContainText('Location is blocked for this site');
    // A typed position that is not a number is refused next to its field.
    await page.getByLabel('Latitude').fill('43.2595');
    await page.getByLabel('Longitude').fill('west');
    await page.getByLabel('GPS accuracy (metres)').fill('10');
    await page.getByRole('button', { name: 'Check in here' }).click();
    await expect(page.locator('#lng-problems')).toContainText('/lng: "west" is not a number');
  });
});
