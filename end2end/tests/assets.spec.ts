import { expect, test } from '@playwright/test';
import { waitForHydration } from './helpers';

/** The app's wasm, js and css the page fetched (the wasm and its glue once the page is idle). */
async function bundles(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((p) => p.startsWith('/pkg/humandispatch.')),
  );
}

test('a page without islands fetches no wasm; one with islands loads hashed bundles, precompressed, cached for good', async ({
  page,
  request,
}) => {
  await page.goto('/portal');
  await waitForHydration(page);
  expect((await bundles(page)).map((u) => u.split('.').pop())).toEqual(['css']);
  await page.goto('/dashboard');
  await waitForHydration(page);
  const urls = [...new Set(await bundles(page))];
  expect(urls.map((u) => u.split('.').pop()).sort()).toEqual(['css', 'js', 'wasm']);
  const sizes: string[] = [];
  for (const url of urls) {
    expect(url).toMatch(/^\/pkg\/humandispatch\.[A-Za-z0-9_-]{8,}\.(css|js|wasm)$/);
    const served: Record<string, number> = {};
    for (const encoding of ['identity', 'gzip', 'br']) {
      const r = await request.get(url, { headers: { 'accept-encoding': encoding } });
      expect(r.status(), url).toBe(200);
      expect(r.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(r.headers()['content-encoding'] ?? 'identity').toBe(encoding);
      served[encoding] = Number(r.headers()['content-length']);
    }
    // The portal issue's budget: a page's wasm at most 250 KB as a phone receives it.
    if (url.endsWith('.wasm')) expect(served.br).toBeLessThanOrEqual(250_000);
    expect(served.br).toBeLessThan(served.gzip);
    expect(served.gzip).toBeLessThan(served.identity);
    sizes.push(`${url}: ${served.identity} raw, ${served.gzip} gzip, ${served.br} brotli as served`);
  }
  console.log(sizes.join('\n'));
  // A name no build made is not cached: a later build may make it.
  const missing = await request.get('/pkg/humandispatch.nothere.js');
  expect(missing.status()).toBe(404);
  expect(missing.headers()['cache-control']).toBeUndefined();
});
