import { expect, test, type APIRequestContext } from '@playwright/test';
import { createHash } from 'node:crypto';
import { postJson, postPhotoTask } from './helpers';

/** The SHA-256 of what the file's signed download link serves. */
async function downloadedDigest(request: APIRequestContext, downloadUrl: string): Promise<string> {
  const r = await request.get(downloadUrl);
  expect(r.status()).toBe(200);
  return createHash('sha256').update(await r.body()).digest('hex');
}

/** A sandbox booking checked in and ready for delivery; returns what the talent needs. */
async function bookedJob(request: APIRequestContext) {
  const post = (path: string, data: unknown, token?: string) => postJson(request, path, data, token);
  const { api_key: key } = await post('/v1/developer/signup', { name: 'Uploader', email: 'up@example.com' });
  const { talent, token } = await post('/v1/test_helpers/talent', { name: 'Phone Talent' }, key);
  await post('/v1/test_helpers/billing/attach_card', { card: 'ok' }, key);
  const task = await postPhotoTask(request, key, { title: 'Upload test', maxTotal: 200, products: 1, days: 3 });
  await post(`/v1/tasks/${task.id}/quote_requests`, { talent_ids: [talent.id] }, key);
  const quote = await post(`/v1/talent/${talent.id}/quote`, { task_id: task.id, amount: 150, message: 'yes' }, token);
  await post(`/v1/quotes/${quote.id}/accept`, {}, key);
  const booking = await post('/v1/bookings', { quote_id: quote.id }, key);
  return { token, workOrderId: booking.work_order_id as string };
}

test('tus-js-client in a phone browser uploads in chunks and the file arrives intact', async ({ page, request, baseURL }) => {
  const { token, workOrderId } = await bookedJob(request);
  await page.goto('/portal');
  await page.addScriptTag({ path: require.resolve('tus-js-client/dist/tus.min.js') });

  const result = await page.evaluate(
    async ({ endpoint, token, workOrderId }) => {
      // A JPEG-looking file of 700 kB: the magic bytes, then random data.
      const bytes = new Uint8Array(700_000);
      for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
      bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0);
      const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('');
      const file = new Blob([bytes], { type: 'image/jpeg' });
      const url: string = await new Promise((resolve, reject) => {
        // @ts-expect-error: tus is the UMD global the script tag defined.
        const upload = new window.tus.Upload(file, {
          endpoint,
          chunkSize: 256 * 1024,
          retryDelays: [0, 100, 500],
          headers: { Authorization: `Bearer ${token}` },
          metadata: { filename: 'phone.jpg', filetype: 'image/jpeg', work_order_id: workOrderId },
          onError: reject,
          onSuccess: () => resolve(upload.url),
        });
        upload.start();
      });
      return { url, digest };
    },
    { endpoint: `${baseURL}/v1/uploads`, token, workOrderId },
  );

  const fileId = result.url.split('/').pop();
  const file = await (await request.get(`/v1/files/${fileId}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  expect(file.status).toBe('ready');
  expect(file.sha256).toBe(result.digest);
  expect(await downloadedDigest(request, file.download_url)).toBe(result.digest);
});

test('Uppy with its tus plugin uploads from a phone browser and the file arrives intact', async ({ page, request, baseURL }) => {
  const { token, workOrderId } = await bookedJob(request);
  await page.goto('/portal');
  await page.addScriptTag({ path: require.resolve('uppy/dist/uppy.min.js') });

  const result = await page.evaluate(
    async ({ endpoint, token, workOrderId }) => {
      const bytes = new Uint8Array(600_000);
      for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
      bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0);
      const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('');
      // @ts-expect-error: Uppy is the UMD global the script tag defined.
      const { Uppy, Tus } = window.Uppy;
      const uppy = new Uppy({ autoProceed: false }).use(Tus, {
        endpoint,
        chunkSize: 200 * 1024,
        retryDelays: [0, 100, 500],
        headers: { Authorization: `Bearer ${token}` },
      });
      uppy.addFile({
        name: 'shelf.jpg',
        type: 'image/jpeg',
        data: new Blob([bytes], { type: 'image/jpeg' }),
        meta: { work_order_id: workOrderId },
      });
      const outcome = await uppy.upload();
      return {
        failed: outcome.failed.map((f: { error?: string }) => String(f.error)),
        url: outcome.successful[0]?.uploadURL as string,
        digest,
      };
    },
    { endpoint: `${baseURL}/v1/uploads`, token, workOrderId },
  );

  expect(result.failed).toEqual([]);
  const fileId = result.url.split('/').pop();
  const file = await (await request.get(`/v1/files/${fileId}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  expect(file.status).toBe('ready');
  expect(file.filename).toBe('shelf.jpg');
  expect(file.size_bytes).toBe(600_000);
  expect(file.sha256).toBe(result.digest);
  expect(await downloadedDigest(request, file.download_url)).toBe(result.digest);
});
