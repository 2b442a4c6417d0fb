// The signed original back into the register (issue 17, item 2), in Debian's Chromium
// driven by playwright-core against a server test/cli/browser.sh started on a copy of
// the demo data set. Before it, browser.sh generated the Sở's summary report of its
// round with the CLI (numbered in the register) and signed it outside the web with
// `chiso sign` and the test CA's PKCS#12 (test/cli/lib/pki.sh).
// The administrator installs the test CA on /quan-tri/chu-ky-so; the Sở's officer opens
// the register, uploads the unsigned file first (refused with the reason, the row
// unchanged), then the signed one with "Tải lên bản đã ký" and sees "Bản đã ký số — hợp
// lệ" with the signer; the row's download then serves the signed bytes, and so does
// the Văn bản list, where the generated file is marked "Bản đã ký số".
// Prints "ok NAME" / "not ok NAME" lines; screenshots go to $ARTEFACTS/signback.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { ok, notok, check, assert, failed, watch, problems } = require('./report');

const base = process.env.CHISO_URL;
const art = path.join(process.env.ARTEFACTS || 'build/artefacts', 'signback');
const R = process.env.SIGNBACK_ROUND;
const E = process.env.SIGNBACK_ENTRY;
const files = process.env.SIGNBACK_DIR;              // ca.pem, unsigned.pdf, signed.pdf
fs.mkdirSync(art, { recursive: true });

async function signIn(browser, login) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  watch(page, login);
  await page.goto(base + '/dang-nhap');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'chiso2025');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/dang-nhap"] button[type=submit]')]);
  return { context, page };
}

const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const closing = [];
  try {
    assert(R && E && files, 'SIGNBACK_ROUND, SIGNBACK_ENTRY, SIGNBACK_DIR not set');
    const A = await signIn(browser, 'admin');
    closing.push(A.context);
    await check('signback-ca-installed', async () => {
      await A.page.goto(base + '/quan-tri/chu-ky-so');
      await A.page.setInputFiles('form[action="/quan-tri/chu-ky-so/ca"] input[name=tep]', path.join(files, 'ca.pem'));
      await Promise.all([A.page.waitForNavigation(), A.page.click('form[action="/quan-tri/chu-ky-so/ca"] button[type=submit]')]);
      assert((await A.page.content()).includes('Chiso Test Root CA'), 'the CA is not listed');
    });

    const S = await signIn(browser, 'so.binhdinh');
    closing.push(S.context);
    const s = S.page;
    const row = s.locator(`tr[data-register="${E}"]`);
    const form = row.locator(`form[action="/dot/${R}/so-van-ban/${E}/ban-ky"]`);
    await s.goto(base + '/dot/' + R + '/so-van-ban');
    await check('signback-upload-offered', async () => {
      assert(await form.count() === 1, 'no upload form in the row');
      assert((await text(form)).includes('Tải lên bản đã ký'), 'no "Tải lên bản đã ký"');
    });
    await check('signback-unsigned-refused', async () => {
      await form.locator('input[name=tep]').setInputFiles(path.join(files, 'unsigned.pdf'));
      const [resp] = await Promise.all([s.waitForNavigation(), form.locator('button[type=submit]').click()]);
      assert(resp.status() === 422, 'status ' + resp.status());
      assert((await text(s.locator('main'))).includes('Tệp chưa được ký số'), 'no reason shown');
    });
    await s.goto(base + '/dot/' + R + '/so-van-ban');
    await check('signback-unchanged-after-refusal', async () => {
      assert(!(await text(row)).includes('Bản đã ký số'), 'the row changed');
    });
    await check('signback-signed-accepted', async () => {
      await form.locator('input[name=tep]').setInputFiles(path.join(files, 'signed.pdf'));
      await Promise.all([s.waitForNavigation(), form.locator('button[type=submit]').click()]);
      assert(s.url().includes('/dot/' + R + '/so-van-ban'), 'not back on the register: ' + s.url());
      const t = await text(row);
      assert(t.includes('Bản đã ký số — hợp lệ'), 'status not shown: ' + t);
      assert(t.includes('Người ký: Nguyễn Văn An'), 'signer not shown: ' + t);
      await s.screenshot({ path: path.join(art, 'register-signed.png'), fullPage: true });
    });
    await check('signback-download-is-signed', async () => {
      const [dl] = await Promise.all([s.waitForEvent('download'), row.locator('a', { hasText: 'Tải bản đã ký' }).click()]);
      const got = fs.readFileSync(await dl.path());
      assert(got.equals(fs.readFileSync(path.join(files, 'signed.pdf'))), 'the download is not the signed file');
    });
    // the generated-documents list (Văn bản) serves the signed original, marked
    await check('signback-docs-list-serves-signed', async () => {
      await s.goto(base + '/dot/' + R + '/van-ban');
      const mark = s.locator('[data-sig="signed-original"]');
      assert(await mark.count() === 1, 'marks: ' + await mark.count());
      assert((await text(mark)).includes('Bản đã ký số'), 'no "Bản đã ký số"');
      const cell = mark.locator('xpath=..');
      const [dl] = await Promise.all([s.waitForEvent('download'), cell.locator('a', { hasText: 'Tải bản đã ký' }).click()]);
      const got = fs.readFileSync(await dl.path());
      assert(got.equals(fs.readFileSync(path.join(files, 'signed.pdf'))), 'the list\'s download is not the signed file');
      await s.screenshot({ path: path.join(art, 'docs-list-signed.png'), fullPage: true });
    });
    await check('signback-no-csp-violations-or-script-errors', async () => assert(problems.length === 0, problems.join('\n')));
  } catch (e) {
    notok('signback-run', e && e.stack ? e.stack : e);
  } finally {
    for (const c of closing) await c.close().catch(() => {});
    await browser.close();
  }
  console.log('# signback browser walk: ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s; screenshots in ' + art);
  process.exit(failed() ? 1 : 0);
})();
