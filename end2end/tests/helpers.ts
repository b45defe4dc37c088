import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** Fails the test on any uncaught error or console error in the page. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Clicks before hydration do nothing: wait until the app's effects have run. */
export async function waitForHydration(page: Page) {
  await expect(page.locator('#app')).toHaveAttribute('data-hydrated', 'true');
}

/** POSTs JSON to the API (with a bearer token when given), expects a 2xx and returns the body. */
export async function postJson(request: APIRequestContext, path: string, data: unknown, token?: string) {
  const r = await request.post(path, { data, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  expect(r.ok(), `${path}: ${await r.text()}`).toBeTruthy();
  return r.json();
}
