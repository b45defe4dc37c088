import { expect, test } from '@playwright/test';
import { invitedTalent, signInByLink, virtualAuthenticator, watchForErrors } from './helpers';

const NAME_FIELD = 'Name it (such as the phone it is on)';

test('a talent adds passkeys on two devices after the emailed link, signs in with one, and a removed one signs no one in', async ({
  page,
  context,
  browser,
  request,
}) => {
  const errors = watchForErrors(page);
  const email = `passkey-${Date.now()}@example.com`;
  const agentEmail = `passkey-agent-${Date.now()}@example.com`;
  await invitedTalent(request, agentEmail, email);
  const phone = await virtualAuthenticator(context, page);

  // After the link, the portal offers a passkey; a blank name is refused before the device asks.
  await signInByLink(page, email, agentEmail);
  const offer = page.locator('#passkey-offer');
  await offer.getByLabel(NAME_FIELD).fill('   ');
  await offer.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.locator('#passkey_name-problems')).toContainText('/name: give the passkey a name');
  expect(await phone.credentials()).toHaveLength(0);
  await offer.getByLabel(NAME_FIELD).fill('My phone');
  await offer.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.locator('#passkey-offer')).toHaveCount(0);
  const held = await phone.credentials();
  expect(held).toHaveLength(1);
  expect(held[0].isResidentCredential).toBe(true);

  // Signed out, the passkey signs the talent in: no address, no mail.
  await page.locator('#sign-out').click();
  await expect(page.getByLabel('Your email')).toBeVisible();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.locator('#portal-name')).toBeVisible();

  // A second device, with the wasm blocked: the passkey script does not need it.
  const laptop = await browser.newContext();
  const other = await laptop.newPage();
  await other.route(/\.wasm$/, (route) => route.abort());
  const laptopKeys = await virtualAuthenticator(laptop, other);
  await signInByLink(other, email, agentEmail, false);
  await other.goto('/portal/profile');
  await other.locator('#passkeys').getByLabel(NAME_FIELD).fill('Work laptop');
  await other.locator('#passkeys').getByRole('button', { name: 'Add a passkey' }).click();
  await expect(other.locator('#passkey-list li')).toHaveCount(2);
  expect(await laptopKeys.credentials()).toHaveLength(1);
  await other.locator('#sign-out-everywhere').click();
  await expect(other.getByLabel('Your email')).toBeVisible();
  await other.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(other.locator('#portal-name')).toBeVisible();
  await laptop.close();

  // Both are listed, named, with when they were last used; the phone's is removed.
  await page.goto('/portal');
  await expect(page.getByLabel('Your email')).toBeVisible(); // signed out everywhere, above
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.locator('#portal-name')).toBeVisible();
  await page.goto('/portal/profile');
  const list = page.locator('#passkey-list');
  await expect(list.locator('.passkey-name')).toHaveText(['My phone', 'Work laptop']);
  await expect(list.locator('li').first()).toContainText('Last used');
  await page.getByRole('button', { name: 'Remove My phone' }).click();
  await expect(page.locator('#passkey-removed')).toContainText('"My phone"');
  await expect(list.locator('.passkey-name')).toHaveText(['Work laptop']);

  // The phone still holds its credential, but the site no longer takes it.
  await page.goto('/portal');
  await page.locator('#sign-out').click();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.locator('#passkey-sign-in [role=status]')).toContainText('not registered here');
  await expect(page.getByLabel('Your email')).toBeVisible();
  // The refusals above answered 400 and 401 on purpose; nothing else may fail.
  expect(errors.filter((e) => !/status of 40[01]/.test(e))).toEqual([]);
});
