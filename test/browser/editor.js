// The indicator set from the decision's own table, in a real browser (issue 18's
// "Done when"): test/cli/browser.sh `editor` starts a server on a small data set
// (a Sở, one THCS, its principal, an officer, a system administrator) whose round
// runs on `thu-nghiem` revision 1 (test/fixtures/fw_import/annex.json, given in
// CHISO_FRAMEWORKS). The principal answers 1.2.2 (a ratio); the administrator
// uploads the annex table as LibreOffice writes it (annex-libreoffice.docx), opens
// the draft in the rule editor, fixes the inferred rule of 1.2.2 (a yes/no of 20
// points, from the decision), sees the checks and the preview, and publishes
// revision 2; the Sở's officer moves the round's assessment to it (/dot/{id}/chuyen-ban);
// the principal's form then names 1.2.2 as to be answered again, with a yes/no control.
// Prints "ok NAME" / "not ok NAME"; screenshots in $ARTEFACTS/editor/.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { check, assert, failed, watch, problems } = require('./report');

const base = process.env.CHISO_URL;
const art = path.join(process.env.ARTEFACTS || 'build/artefacts', 'editor');
const round = process.env.EDITOR_ROUND;
const aid = process.env.EDITOR_ASSESSMENT;
const annex = process.env.EDITOR_ANNEX;
fs.mkdirSync(art, { recursive: true });

async function signIn(browser, login) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  watch(page, login);
  await page.goto(base + '/dang-nhap');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'chiso2025');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/dang-nhap"] button[type=submit]')]);
  return page;
}

async function submit(page, selector) {
  const [resp] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return resp;
}

const row = (page, code) => page.locator('tr#' + 'muc-' + code.replace(/\./g, '\\.'));

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // ---- the school answers 1.2.2 on revision 1 ----------------------------------------
    const p = await signIn(browser, 'ht.nguyenhue');
    await check('editor-school-answers-ratio', async () => {
      await p.goto(base + '/danh-gia/' + aid);
      const r = p.locator('tr#tc-1\\.2\\.2');
      await r.locator('input[name="v:1.2.2:num"]').fill('30');
      await r.locator('input[name="v:1.2.2:den"]').fill('40');
      const resp = await submit(p, 'form.assess button[type=submit]');
      assert(resp.status() < 400, 'save → ' + resp.status());
      assert(await p.locator('input[name="v:1.2.2:num"]').inputValue() === '30', 'answer not kept');
    });

    // ---- the administrator imports the table and fixes one inferred rule -------------
    const a = await signIn(browser, 'quantri');
    await check('editor-import-draft', async () => {
      await a.goto(base + '/quan-tri/bo-chi-so');
      await a.setInputFiles('input[name=tep]', annex);
      await a.fill('input[name=ma]', 'thu-nghiem');
      await a.fill('input[name=ten]', 'Bộ chỉ số thử nghiệm');
      await a.check('input[name=loai_hinh][value=tieu_hoc]');
      await a.check('input[name=loai_hinh][value=thcs]');
      await submit(a, 'form[enctype="multipart/form-data"] button[type=submit]');
      const body = await a.textContent('body');
      assert(body.includes('Bản nháp nhập từ bảng: xem lại trước khi công bố'), 'no draft review');
      assert(body.includes('thành phiên bản 2 của thu-nghiem'), 'not revision 2');
      await a.screenshot({ path: path.join(art, 'review.png'), fullPage: true });
    });
    let inferredBefore = 0;
    await check('editor-opens-with-inferred-marked', async () => {
      await submit(a, 'a[href$="/sua"]');
      assert(/\/quan-tri\/bo-chi-so\/[0-9]+\/sua$/.test(new URL(a.url()).pathname), 'at ' + a.url());
      inferredBefore = await a.locator('tr[data-inferred="1"]').count();
      assert(inferredBefore >= 3, inferredBefore + ' inferred rows');
      assert(await row(a, '1.2.2').getAttribute('data-inferred') === '1', '1.2.2 not marked');
      assert((await a.locator('ul.fw-checks li.bad').count()) === 0, 'a check fails on the imported draft');
      const preview = await a.textContent('table.fw-preview');
      assert(preview.includes('100 — Mức 3'), 'preview: ' + preview);
      await a.screenshot({ path: path.join(art, 'editor.png'), fullPage: true });
    });
    await check('editor-fields-follow-kind', async () => {
      const r = row(a, '1.2.2');
      await r.locator('summary').click();
      await r.locator('select[name=loai]').selectOption('yes_no');
      // chiso.js shows only the fields of the chosen kind (the page works without it)
      assert(await r.locator('input[name=nguong]').isHidden(), 'threshold still shown for a yes/no');
      assert(await r.locator('input[name=diem]').isVisible(), 'points hidden');
      await r.screenshot({ path: path.join(art, 'editor-item.png') });
    });
    await check('editor-fixes-inferred-rule', async () => {
      const r = row(a, '1.2.2');
      await r.locator('input[name=diem]').fill('20');
      await r.locator('select[name=nguon]').selectOption('official');
      await submit(a, 'tr#muc-1\\.2\\.2 form button[type=submit]');
      const body = await a.textContent('body');
      assert(body.includes('Đã lưu cách chấm của mục 1.2.2'), 'no saved notice');
      assert(await row(a, '1.2.2').getAttribute('data-inferred') === null, '1.2.2 still inferred');
      assert(await a.locator('tr[data-inferred="1"]').count() === inferredBefore - 1, 'inferred count');
      assert((await row(a, '1.2.2').textContent()).includes('Có/Không, tối đa 20 điểm'), 'rule not shown');
      assert((await a.locator('ul.fw-checks li.bad').count()) === 0, 'a check fails after the fix');
      await a.screenshot({ path: path.join(art, 'editor-saved.png'), fullPage: true });
    });
    await check('editor-publishes-revision-2', async () => {
      await submit(a, 'form[action$="/cong-bo"] button[type=submit]');
      assert(new URL(a.url()).pathname === '/quan-tri/bo-chi-so', 'at ' + a.url());
      assert(await a.locator('[data-framework="thu-nghiem@2"]').count() === 1, 'revision 2 not listed');
    });

    // ---- the Sở's officer moves the round's assessment to revision 2 -------------------
    const o = await signIn(browser, 'cb.so');
    await check('editor-office-moves-assessment', async () => {
      await o.goto(base + '/dot/' + round + '/chuyen-ban');
      const plan = await o.textContent('main');
      assert(plan.includes('bản 1 → bản 2'), 'no plan: ' + plan.slice(0, 300));
      await o.screenshot({ path: path.join(art, 'carry-plan.png'), fullPage: true });
      await submit(o, 'form[action$="/chuyen-ban"] button[type=submit]');
      assert((await o.textContent('main')).includes('Đã chuyển 1 phiếu sang bản 2'), 'not moved');
    });

    // ---- the school's form flags 1.2.2 --------------------------------------------------
    await check('editor-school-sees-flagged-item', async () => {
      await p.goto(base + '/danh-gia/' + aid);
      const body = await p.textContent('main');
      assert(body.includes('cần trả lời lại vì cách chấm đã thay đổi'), 'no flag on the form');
      assert(await p.locator('a[href="#tc-1.2.2"]').count() >= 1, 'flag does not link 1.2.2');
      assert(await p.locator('tr#tc-1\\.2\\.2 input[type=radio][name="v:1.2.2"]').count() === 2, '1.2.2 is not a yes/no now');
      await p.screenshot({ path: path.join(art, 'school-flagged.png'), fullPage: true });
    });
    await check('editor-no-csp-or-script-errors', async () => { assert(problems.length === 0, problems.join('\n')); });
  } finally {
    await browser.close();
  }
  process.exit(failed() ? 1 : 0);
})().catch((e) => { console.log('not ok editor-walk'); console.log('  ' + e); process.exit(1); });
