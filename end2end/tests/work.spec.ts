import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { bookedTalent, postJson, signInByLink, waitForHydration, watchForErrors } from './helpers';

/** A JPEG-looking photo of `size` bytes: the magic bytes, then random data. */
function photo(name: string, size: number) {
  const buffer = randomBytes(size);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(buffer, 0);
  return { name, mimeType: 'image/jpeg', buffer, sha256: createHash('sha256').update(buffer).digest('hex') };
}

/** Picks files in the upload widget, as the phone's file chooser would. */
async function pick(page: Page, files: ReturnType<typeof photo>[]) {
  const input = page.locator('#uploader input[type=file][multiple]');
  // Once files are listed, the chooser is behind "Add more files".
  if ((await input.count()) === 0) await page.getByRole('button', { name: 'Add more files' }).click();
  await input.first().setInputFiles(files);
}

/** The upload of `name` in the widget is under way (some bytes sent, not all). */
async function midway(page: Page, name: string) {
  const item = page.locator('.uppy-Dashboard-Item', { hasText: name });
  await expect(item).toHaveAttribute('class', /is-inprogress/);
  await expect(item.locator('.uppy-Dashboard-Item-progressIndicator, .uppy-Dashboard-Item-statusSize').first()).toBeVisible();
}

/** How many bytes the server has of the upload in progress (its URL is in tus's localStorage). */
async function serverOffset(page: Page, request: APIRequestContext, token: string): Promise<number> {
  const urls = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('tus::'))
      .map((k) => JSON.parse(localStorage.getItem(k) ?? '{}').uploadUrl as string),
  );
  let offset = 0;
  for (const url of urls.filter(Boolean)) {
    const head = await request.head(url, { headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' } });
    if (head.ok()) offset = Math.max(offset, Number(head.headers()['upload-offset'] ?? 0));
  }
  return offset;
}

test('a talent uploads three photos through a dropped connection and a reload, delivers, sees QA and uploads again', async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(120_000);
  const errors = watchForErrors(page);
  const email = `work-${Date.now()}@example.com`;
  const agentEmail = `work-agent-${Date.now()}@example.com`;
  const { key, token, bookingId, workOrderId } = await bookedTalent(request, agentEmail, email);
  await signInByLink(page, email, agentEmail);
  await page.goto(`/portal/bookings/${bookingId}`);
  await waitForHydration(page);
  await expect(page.locator('#work-status')).toHaveText('Upload your work, then submit it.');
  await expect(page.locator('#uploader .uppy-Dashboard')).toBeVisible();

  // A slow phone connection: 400 kB/s up.
  const cdp = await context.newCDPSession(page);
  const slow = { offline: false, latency: 40, downloadThroughput: 2_000_000, uploadThroughput: 400_000 };
  await cdp.send('Network.emulateNetworkConditions', slow);

  // The connection drops during the first upload, and comes back.
  const a = photo('shelf-a.jpg', 2_500_000);
  await pick(page, [a]);
  await midway(page, a.name);
  await context.setOffline(true);
  await page.waitForTimeout(1500);
  await context.setOffline(false);
  await expect(page.locator('#uploaded-files li', { hasText: a.name })).toBeVisible({ timeout: 30_000 });

  // The page is reloaded during the second: the upload goes on from where the server is.
  const b = photo('shelf-b.jpg', 2_500_000);
  await pick(page, [b]);
  await midway(page, b.name);
  await expect.poll(() => serverOffset(page, request, token), { timeout: 20_000 }).toBeGreaterThanOrEqual(1024 * 1024);
  const before = await serverOffset(page, request, token);
  await page.reload();
  await waitForHydration(page);
  await cdp.send('Network.emulateNetworkConditions', slow);
  await expect(page.locator('#uploaded-files li', { hasText: b.name })).toBeVisible({ timeout: 30_000 });
  expect(before).toBeLessThan(b.buffer.length);

  const c = photo('shelf-c.jpg', 400_000);
  await pick(page, [c]);
  await expect(page.locator('#uploaded-files li')).toHaveCount(3, { timeout: 30_000 });
  // Each photo is listed with the server's thumbnail of it; these are random bytes behind a
  // JPEG header, of which the server says it can make none (the making is tested on the server).
  const thumbnails = page.locator('#uploaded-files img');
  await expect(thumbnails).toHaveCount(3);
  const thumbnail = await page.request.get((await thumbnails.first().getAttribute('src')) ?? '');
  expect(thumbnail.status()).toBe(415);
  expect((await thumbnail.json()).error.message).toContain('cannot be read for a thumbnail');

  await page.getByRole('button', { name: 'Submit the checked files' }).click();
  await expect(page.locator('#work-status')).toHaveText(/Delivered|QA/);

  // What the agent received is what the phone held, byte for byte.
  const auth = { headers: { Authorization: `Bearer ${key}` } };
  const delivered = await (await request.get(`/v1/work_orders/${workOrderId}/deliverables`, auth)).json();
  const digests = Object.fromEntries(delivered.data.map((d: { file: { filename: string; sha256: string } }) => [d.file.filename, d.file.sha256]));
  expect(digests).toEqual({ [a.name]: a.sha256, [b.name]: b.sha256, [c.name]: c.sha256 });

  // QA's result, check by check (random bytes are no photo: it fails, and says which to reshoot).
  await expect(async () => {
    await page.reload();
    await expect(page.locator('#qa-result')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.locator('#qa-result')).toContainText('QA failed');
  await expect(page.locator('#qa-result')).toContainText(`Reshoot ${a.name}`);

  // The agent asks for changes; the talent sees why, uploads again and delivers again.
  await postJson(request, `/v1/work_orders/${workOrderId}/request_changes`, { reason: 'Shelf B is blurred: shoot it again.' }, key);
  await page.reload();
  await waitForHydration(page);
  await expect(page.locator('#changes-requested')).toContainText('Shelf B is blurred');
  const again = photo('shelf-b-again.jpg', 300_000);
  await pick(page, [again]);
  await expect(page.locator('#uploaded-files li')).toHaveCount(4, { timeout: 30_000 });
  await page.getByRole('checkbox', { name: new RegExp(`^${b.name.replace('.', '\\.')} ·`) }).uncheck();
  await page.getByRole('button', { name: 'Submit the checked files' }).click();
  await expect(page.locator('#work-status')).toHaveText(/Delivered|QA/);
  const second = await (await request.get(`/v1/work_orders/${workOrderId}/deliverables`, auth)).json();
  expect(second.delivery_set).toBe(2);
  expect(second.data.map((d: { file: { filename: string } }) => d.file.filename).sort()).toEqual(
    [a.name, c.name, again.name].sort(),
  );
  // The thumbnails of those random bytes answered 415, as above; nothing else may fail.
  expect(errors.filter((e) => !e.includes('status of 415'))).toEqual([]);
});
