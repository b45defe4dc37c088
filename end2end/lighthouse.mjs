// Lighthouse on every portal page (mobile, its default: a Moto G Power on slow 4G, 4x CPU
// slow-down) and every dashboard page (desktop, Lighthouse's desktop preset: the dashboard is
// desktop first), in Debian's chromium, against a running server: prints each page's scores. Run
// by scripts/lighthouse.sh, which starts the release server and signs a talent in (the cookie it
// passes in HD_LH_COOKIE) and an account's owner (HD_LH_OWNER_COOKIE). A benchmark: it prints
// figures and asserts nothing.
import lighthouse from 'lighthouse';
import desktop from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const base = process.env.HD_TEST_URL;
const cookie = process.env.HD_LH_COOKIE;
const pages = (process.env.HD_LH_PAGES ?? '').split(' ').filter(Boolean);
const owner = process.env.HD_LH_OWNER_COOKIE;
const dashboardPages = (process.env.HD_LH_DASHBOARD_PAGES ?? '').split(' ').filter(Boolean);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
console.log(`| page | form | ${categories.join(' | ')} | LCP ms | TBT ms | transfer KB |`);
console.log(`|---|---|${categories.map(() => '---').join('|')}|---|---|---|`);
const named = (p) => p.replace(/\/[a-z]+_[0-9a-f]+$/, '/{id}');
const runs = [
  ['/portal (signed out)', '/portal', undefined, 'mobile'],
  ['/portal (signed in)', '/portal', cookie, 'mobile'],
  ...pages.map((p) => [named(p), p, cookie, 'mobile']),
  ...(owner
    ? [['/dashboard (signed out)', '/dashboard', undefined, 'desktop'], ...dashboardPages.map((p) => [named(p), p, owner, 'desktop'])]
    : []),
  // HD_LH_ONLY=portal or dashboard: one side's pages only.
].filter(([, , , form]) => !process.env.HD_LH_ONLY || (process.env.HD_LH_ONLY === 'dashboard') === (form === 'desktop'));
try {
  for (const [name, path, withCookie, form] of runs) {
    const flags = {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: categories,
      extraHeaders: withCookie ? { Cookie: withCookie } : {},
    };
    const result = await lighthouse(`${base}${path}`, flags, form === 'desktop' ? desktop : undefined);
    const lhr = result.lhr;
    const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
    const audit = (a) => Math.round(lhr.audits[a]?.numericValue ?? 0);
    console.log(
      `| ${name} | ${form} | ${categories.map(score).join(' | ')} | ${audit('largest-contentful-paint')} | ${audit('total-blocking-time')} | ${Math.round(audit('total-byte-weight') / 1024)} |`,
    );
    // What keeps a category from 100, so that the figure can be acted on.
    for (const c of categories) {
      for (const ref of lhr.categories[c].auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 0.9) console.log(`    ${c}: ${ref.id} (${a.displayValue ?? a.score})`);
      }
    }
  }
} finally {
  await chrome.kill();
}
