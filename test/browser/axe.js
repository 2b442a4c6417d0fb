// axe.js — axe-core (WCAG 2.0/2.1 A and AA, and the rules Lighthouse adds; vendored through test/browser/package-lock.json)
// on every page family, each as the role that uses it, in Debian's Chromium against the
// `chiso serve` test/cli/browser.sh started on a copy of the demo (read-only here). One
// "ok axe-NAME" / "not ok axe-NAME" line per page: any violation fails (issue 20).
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');
const { check, assert, failed } = require('./report');

const base = process.env.CHISO_URL;
const ids = JSON.parse(process.env.AXE_IDS || '{}');   // round, self (draft), sent, evaluating, unit
const AXE = require.resolve('axe-core/axe.min.js', { paths: [__dirname] });
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// and the rules outside those tags that Lighthouse's accessibility score weighs (its
// documented run, docs/accessibility.md, keeps it at 100): headings in order, skip links
// that lead somewhere, no positive tabindex, targets of 24 px (WCAG 2.2)
const RULES = ['heading-order', 'skip-link', 'tabindex', 'accesskeys', 'meta-viewport', 'target-size',
  'image-redundant-alt', 'table-duplicate-name'];

const PAGES = [
  // [name, login (null: the public), path]
  ['sign-in', null, '/dang-nhap'],
  ['public-unit', null, '/cong-khai/don-vi/' + ids.unit],
  ['school-home', 'ht.52101001', '/'],
  ['school-form', 'ht.52101001', '/danh-gia/' + ids.self],
  ['school-evidence', 'ht.52101001', '/danh-gia/' + ids.self + '/minh-chung'],
  ['school-council', 'ht.52101001', '/danh-gia/' + ids.self + '/hoi-dong'],
  ['school-submit', 'ht.52101001', '/danh-gia/' + ids.self + '/gui'],
  ['office-home', 'so.binhdinh', '/'],
  ['office-round', 'so.binhdinh', '/dot/' + ids.round],
  ['office-inbox', 'so.binhdinh', '/dot/' + ids.round + '/hop-thu'],
  ['office-review', 'so.binhdinh', '/xet-duyet/' + ids.sent],
  ['office-team', 'so.binhdinh', '/dot/' + ids.round + '/doan'],
  ['office-recognition', 'so.binhdinh', '/dot/' + ids.round + '/cong-nhan'],
  ['office-documents', 'so.binhdinh', '/dot/' + ids.round + '/van-ban'],
  ['office-summary', 'so.binhdinh', '/tong-hop/' + ids.round],
  ['evaluator-compare', 'dgn.tranminhtuan', '/danh-gia-ngoai/' + ids.evaluating + '/doi-chieu'],
  ['admin-units', 'admin', '/quan-tri/don-vi'],
  ['admin-mail', 'admin', '/quan-tri/thu'],
];

async function context(browser, login) {
  // the page's CSP (script-src 'self') would refuse the injected axe script
  const c = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', bypassCSP: true });
  if (!login) return c;
  const p = await c.newPage();
  await p.goto(base + '/dang-nhap');
  await p.fill('input[name=login]', login);
  await p.fill('input[name=password]', 'chiso2025');
  await Promise.all([p.waitForNavigation(), p.click('form[action="/dang-nhap"] button[type=submit]')]);
  assert(new URL(p.url()).pathname !== '/dang-nhap', login + ' could not sign in');
  await p.close();
  return c;
}

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
  const contexts = new Map();
  let total = 0;
  try {
    for (const [name, login, url] of PAGES) {
      await check('axe-' + name, async () => {
        if (!contexts.has(login)) contexts.set(login, await context(browser, login));
        const page = await contexts.get(login).newPage();
        const r = await page.goto(base + url);
        assert(r.status() === 200, url + ' → ' + r.status());
        await page.addScriptTag({ path: AXE });
        const res = await page.evaluate(async ([tags, rules]) => {
          const a = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
          const b = await window.axe.run(document, { runOnly: { type: 'rule', values: rules } });
          return { violations: a.violations.concat(b.violations) };
        }, [TAGS, RULES]);
        total++;
        await page.close();
        const v = res.violations.map((x) => x.id + ' (' + x.nodes.length + '): ' + x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', '));
        assert(v.length === 0, url + ': ' + v.join('\n'));
      });
    }
  } finally {
    for (const c of contexts.values()) await c.close().catch(() => {});
    await browser.close();
    console.log('# axe-core on ' + total + ' pages: ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
  }
  process.exit(failed() ? 1 : 0);
})();
