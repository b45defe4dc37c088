import { expect, test } from '@playwright/test';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('the portal can be added to a phone home screen: a manifest and the icons it names', async ({ page, request }) => {
  await page.goto('/portal');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const r = await request.get(href!);
  expect(r.status()).toBe(200);
  expect(r.headers()['content-type']).toContain('manifest+json');
  const manifest = await r.json();
  expect(manifest.start_url).toBe('/portal');
  expect(manifest.display).toBe('standalone');
  const purposes = new Set<string>();
  for (const icon of manifest.icons as { src: string; sizes: string; type: string; purpose: string }[]) {
    const got = await request.get(icon.src);
    expect(got.status(), icon.src).toBe(200);
    expect(got.headers()['content-type']).toBe(icon.type);
    expect(pngSize(await got.body()).join('x')).toBe(icon.sizes);
    purposes.add(icon.purpose);
  }
  expect([...purposes].sort()).toEqual(['any', 'maskable']);
  const touch = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  expect((await request.get(touch!)).status()).toBe(200);
});
