// Chiso in a real browser: Debian's Chromium driven by playwright-core against a
// server that test/cli/browser.sh started on a copy of the demo data set.
// Prints one "ok NAME" / "not ok NAME" line per check (test/run.sh counts them).
//
// The story: the principal of a primary school signs in, fills the self-assessment
// (every control kind of the 4725 indicator set), gets a clear message for a bad value
// while the other items are kept, sees totals and levels change after saving and match
// the scoring engine (the JSON API gives the engine's numbers); a council member sees
// only the items assigned to her editable and is refused another; the principal
// consolidates, approves and submits; the print view; a phone-size screen. No page may
// break the Content-Security-Policy. Screenshots go to $ARTEFACTS (not committed).
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { ok, notok, check, assert, failed, watch, problems } = require('./report');

const base = process.env.CHISO_URL;
const art = process.env.ARTEFACTS || 'build/artefacts';
const PASSWORD = 'chiso2025';
const PRINCIPAL = 'ht.52101001';                 // the demo's school in draft
const MEMBER = 'gv.52101001.1';                  // a member of its council
fs.mkdirSync(art, { recursive: true });


// "89/100" or "75,5/100" as shown → [89, 100]
function fraction(text) {
  const m = /([0-9]+(?:,[0-9]+)?)\s*\/\s*([0-9]+(?:,[0-9]+)?)/.exec(text);
  assert(m, 'no points in "' + text + '"');
  return [Number(m[1].replace(',', '.')), Number(m[2].replace(',', '.'))];
}

async function signIn(browser, login, viewport) {
  const context = await browser.newContext({ viewport: viewport || { width: 1366, height: 900 }, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  watch(page, login);
  await page.goto(base + '/dang-nhap');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/dang-nhap"] button[type=submit]')]);
  return { context, page };
}

async function api(page, p) {
  const r = await page.request.get(base + p);
  assert(r.ok(), p + ' → ' + r.status());
  return r.json();
}

// The totals table of the form's summary: [{points, max, level}] per group
async function shownTotals(page) {
  return page.$$eval('table.totals tbody tr', (rows) => rows.map((r) => ({
    points: r.cells[1].textContent.trim(), level: r.cells[2].textContent.trim(),
  })));
}

async function matchesEngine(page, aid) {
  const v = await api(page, '/api/v1/danh-gia/' + aid);
  const shown = await shownTotals(page);
  const groups = v.score.groups;
  assert(shown.length === groups.length, 'groups shown ' + shown.length + ', engine ' + groups.length);
  groups.forEach((g, i) => {
    const [p, m] = fraction(shown[i].points);
    assert(p === g.points && m === g.max, 'group ' + g.code + ': page ' + shown[i].points + ', engine ' + g.points + '/' + g.max);
    if (g.level) assert(shown[i].level.includes('Mức ' + g.level), 'group ' + g.code + ' level: page "' + shown[i].level + '", engine Mức ' + g.level);
  });
  const conclusion = await page.textContent('section.summary');
  assert(conclusion.includes(v.score.level_explain), 'conclusion differs from the engine: ' + v.score.level_explain);
  return v;
}

async function save(page) {
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('form.assess button[type=submit]')]);
  return resp;
}

// Fill one item's control with a valid answer that earns its points
async function answer(page, item) {
  const row = page.locator('tr#tc-' + item.code.replace(/\./g, '\\.'));
  const v = 'v:' + item.code;
  switch (item.kind) {
    case 'gate': case 'yes_no':
      await row.locator(`input[type=radio][name="${v}"][value="1"]`).check(); break;
    case 'alternatives':
      await row.locator(`input[type=radio][name="${v}"][value="${item.options[item.options.length - 1].code}"]`).check(); break;
    case 'ratio_by_type':
      if (item.judged_by_hand) {
        await row.locator(`input[type=radio][name="${v}"][value="1"]`).check();
        await row.locator(`textarea[name="${v}:reason"]`).fill('Hội đồng xác định đạt theo hồ sơ minh chứng');
        break;
      }
      // fall through: numerator and denominator
    case 'ratio':
      await row.locator(`input[name="${v}:num"]`).fill('40');
      await row.locator(`input[name="${v}:den"]`).fill('40'); break;
    case 'count':
      await row.locator(`input[name="${v}"]`).fill('50'); break;
    case 'info':
      await row.locator(`input[name="${v}"]`).fill('Hệ thống học tập trực tuyến K12Online (thuê)'); break;
    case 'up_to':
      await row.locator(`input[name="${v}:points"]`).fill(String(item.max).replace('.', ','));
      await row.locator(`textarea[name="${v}:reason"]`).fill('Đáp ứng đầy đủ'); break;
    case 'tiered':
      await row.locator(`input[type=radio][name="${v}"][value="${item.options[item.options.length - 1].code}"]`).check(); break;
    default:
      throw new Error('no control for kind ' + item.kind);
  }
}

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Playwright gives every launch a fresh, temporary --user-data-dir
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let aid = null;
  try {
    // ---- the principal ---------------------------------------------------------------
    const P = await signIn(browser, PRINCIPAL);
    const p = P.page;
    await check('principal-signs-in', async () => {
      assert(new URL(p.url()).pathname === '/', 'landed on ' + p.url());
      assert((await p.textContent('body')).includes('Đăng nhập thành công'), 'no welcome notice');
    });
    await p.screenshot({ path: path.join(art, 'home-desktop.png'), fullPage: true });
    const ids = await p.$$eval('a[href^="/danh-gia/"]', (as) => as.map((a) => a.getAttribute('href'))
      .map((h) => /^\/danh-gia\/([0-9]+)$/.exec(h)).filter(Boolean).map((m) => Number(m[1])));
    aid = Math.max(...ids);
    assert(Number.isFinite(aid), 'no assessment linked from the home page');

    await p.goto(base + '/danh-gia/' + aid);
    await p.screenshot({ path: path.join(art, 'assessment-before-desktop.png'), fullPage: true });
    let before;
    await check('form-matches-engine-before', async () => { before = await matchesEngine(p, aid); });
    const items = (before || await api(p, '/api/v1/danh-gia/' + aid)).items.filter((i) => i.editable);

    // live scoring: a changed answer shows its points, the totals and the advice at once,
    // from the server's engine, and nothing is saved until «Lưu»
    await check('live-scoring-without-saving', async () => {
      const yn = items.find((i) => i.kind === 'yes_no');
      assert(yn, 'no yes/no item');
      const row = p.locator(`tr[id="tc-${yn.code}"]`);
      const was = before.answers[yn.code];
      const want = was === true ? '0' : '1';
      const pointsBefore = (await row.locator('td.num').textContent()).trim();
      const totalsBefore = (await p.textContent('section.summary table.totals')).replace(/\s+/g, ' ');
      await row.locator(`input[type=radio][name="v:${yn.code}"][value="${want}"]`).check();
      await p.waitForFunction(([sel, old]) => document.querySelector(sel).textContent.trim() !== old,
        [`tr[id="tc-${yn.code}"] td.num`, pointsBefore], { timeout: 5000 });
      const totalsAfter = (await p.textContent('section.summary table.totals')).replace(/\s+/g, ' ');
      assert(totalsAfter !== totalsBefore, 'totals did not change: ' + totalsAfter);
      const explain = (await row.locator('.score-explain').textContent()).trim();
      assert(explain.startsWith(want === '1' ? 'Có:' : 'Không:'), 'explanation not updated: ' + explain);
      const stored = (await api(p, '/api/v1/danh-gia/' + aid)).answers[yn.code];
      assert(JSON.stringify(stored) === JSON.stringify(was), 'saved without «Lưu»: ' + JSON.stringify(stored));
      await p.goto(base + '/danh-gia/' + aid);    // the form as stored again
    });

    // every control kind of the indicator set, with one bad value among them
    const kinds = new Set();
    const bad = items.find((i) => i.kind === 'ratio' && !before.answers[i.code]) || items.find((i) => i.kind === 'ratio');
    const otherItem = items.find((i) => i.kind === 'gate' && !before.answers[i.code]) || items.find((i) => i.kind === 'yes_no');
    let resp;
    await check('fill-every-control-kind', async () => {
      for (const it of items) { await answer(p, it); kinds.add(it.kind); }
      const wanted = ['gate', 'yes_no', 'alternatives', 'ratio', 'ratio_by_type', 'count', 'info'];
      for (const k of wanted) assert(kinds.has(k), 'no editable item of kind ' + k);
      await p.locator(`input[name="v:${bad.code}:num"]`).fill('bốn mươi');
      resp = await save(p);
    });
    await check('bad-value-clear-message', async () => {
      assert(resp && resp.status() === 422, 'status ' + (resp && resp.status()));
      const alert = await p.textContent('div.error-msg[role=alert]');
      assert(alert.includes('Chưa lưu được'), 'no summary message: ' + alert);
      const rowMsg = await p.textContent('tr#tc-' + bad.code.replace(/\./g, '\\.') + ' .error-msg');
      assert(/số nguyên/.test(rowMsg), 'item message: ' + rowMsg);
      // what was typed is still there to correct
      assert(await p.inputValue(`input[name="v:${bad.code}:num"]`) === 'bốn mươi', 'typed value lost');
    });
    await p.screenshot({ path: path.join(art, 'assessment-error-desktop.png'), fullPage: false });
    await check('bad-value-others-kept', async () => {
      const v = await api(p, '/api/v1/danh-gia/' + aid);
      assert(v.answers[otherItem.code] === true, otherItem.code + ' not saved: ' + JSON.stringify(v.answers[otherItem.code]));
      assert(JSON.stringify(v.answers[bad.code]) === JSON.stringify(before.answers[bad.code]), 'bad item changed');
    });
    await check('totals-update-after-save', async () => {
      await p.locator(`input[name="v:${bad.code}:num"]`).fill('40');
      await p.locator(`input[name="v:${bad.code}:den"]`).fill('40');
      const r = await save(p);
      assert(r.status() === 200 && (await p.textContent('body')).includes('Đã lưu.'), 'not saved: ' + r.status());
      const after = await matchesEngine(p, aid);
      assert(after.score.total.points > before.score.total.points || after.score.groups.some((g, i) => g.points !== before.score.groups[i].points),
        'totals did not change');
      assert(after.score.unanswered === 0, after.score.unanswered + ' required items still unanswered');
    });
    await p.screenshot({ path: path.join(art, 'assessment-saved-desktop.png'), fullPage: true });

    // ---- a council member --------------------------------------------------------------
    const C = await signIn(browser, MEMBER);
    const c = C.page;
    await check('member-sees-only-assigned-editable', async () => {
      await c.goto(base + '/danh-gia/' + aid);
      const v = await api(c, '/api/v1/danh-gia/' + aid);
      const mine = v.items.filter((i) => i.editable).map((i) => i.code).sort();
      const shown = (await c.$$eval('tr.leaf', (rows) => rows.filter((r) =>
        [...r.querySelectorAll('input:not([type=hidden]), textarea')].some((e) => !e.disabled)).map((r) => r.id.slice(3)))).sort();
      assert(mine.length > 0 && mine.length < v.items.length, 'member may edit ' + mine.length + ' of ' + v.items.length);
      assert(JSON.stringify(mine) === JSON.stringify(shown), 'page ' + shown + ' vs authz ' + mine);
    });
    await c.screenshot({ path: path.join(art, 'assessment-member-desktop.png'), fullPage: true });
    // the same form with its controls on a phone, while it is still being filled
    await c.setViewportSize({ width: 390, height: 844 });
    await c.screenshot({ path: path.join(art, 'assessment-form-phone.png'), fullPage: true });
    await check('phone-form-fits-width', async () => {
      const w = await c.evaluate(() => document.documentElement.scrollWidth);
      assert(w <= 390 + 1, 'the form is ' + w + ' px wide on a 390 px screen');
    });
    await check('member-refused-unassigned-item', async () => {
      const v = await api(c, '/api/v1/danh-gia/' + aid);
      const other = v.items.find((i) => !i.editable && (i.kind === 'yes_no' || i.kind === 'gate'));
      const csrf = await c.getAttribute('form.assess input[name=_csrf]', 'value');
      const r = await c.request.post(base + '/danh-gia/' + aid, { form: { _csrf: csrf, ['f:' + other.code]: '1', ['v:' + other.code]: '0' } });
      assert(r.status() === 422, 'status ' + r.status());
      assert((await r.text()).includes('không được phân công cho bạn'), 'no "not assigned" message');
      const now = await api(c, '/api/v1/danh-gia/' + aid);
      assert(JSON.stringify(now.answers[other.code]) === JSON.stringify(v.answers[other.code]), 'unassigned item changed');
    });
    await check('member-uploads-pdf-and-photo', async () => {
      const v = await api(c, '/api/v1/danh-gia/' + aid);
      const code = v.items.find((i) => i.editable).code;
      const before = (await api(c, '/api/v1/danh-gia/' + aid + '/minh-chung')).evidence.length;
      await c.setViewportSize({ width: 1366, height: 900 });
      await c.goto(base + '/danh-gia/' + aid + '/minh-chung/moi?tc=' + encodeURIComponent(code));
      await c.fill('input[name=tieu_de]', 'Ảnh lớp học và báo cáo triển khai');
      const box = c.locator(`input[type=checkbox][name=tc][value="${code}"]`);
      if (await box.count()) await box.check();
      const fx = path.join(__dirname, '..', 'fixtures', 'blob');
      await c.setInputFiles('input[type=file][name=tep][multiple]', path.join(fx, 'bao-cao.pdf'));
      await c.setInputFiles('input[type=file][name=tep][capture]', path.join(fx, 'anh-lop-hoc.jpg'));
      await Promise.all([c.waitForLoadState('load'), c.click('main form[action$="/minh-chung/moi"] button[type=submit]')]);
      await c.waitForFunction(() => !location.pathname.endsWith('/moi'), null, { timeout: 15000 });
      const after = (await api(c, '/api/v1/danh-gia/' + aid + '/minh-chung')).evidence;
      assert(after.length === before + 1, 'evidence ' + before + ' → ' + after.length);
      const names = JSON.stringify(after.map((e) => (e.files || []).map((f) => f.name || f.original_name)));
      assert(names.includes('bao-cao.pdf') && names.includes('anh-lop-hoc.jpg'), 'files: ' + names);
    });
    await C.context.close();

    // ---- consolidate, approve, submit ------------------------------------------------------
    async function act(label) {
      const btn = p.locator('form.action button[type=submit]', { hasText: label });
      assert(await btn.count() > 0, 'no button «' + label + '» on ' + p.url());
      const [r] = await Promise.all([p.waitForNavigation(), btn.first().click()]);
      assert(r.status() === 200, '«' + label + '» → ' + r.status() + ': ' + (await p.textContent('main')).slice(0, 300));
    }
    const state = async () => (await api(p, '/api/v1/danh-gia/' + aid)).state;
    await check('consolidate', async () => {
      await p.goto(base + '/danh-gia/' + aid);
      await act('Tổng hợp');
      assert(await state() === 'self_assessed', 'state ' + await state());
    });
    await check('approve-locks', async () => {
      await p.goto(base + '/danh-gia/' + aid + '/gui');
      await act('Phê duyệt');
      assert(await state() === 'approved', 'state ' + await state());
      await p.goto(base + '/danh-gia/' + aid);
      assert(await p.locator('form.assess').count() === 0, 'the form is still editable after approval');
      assert((await p.textContent('section.summary')).includes('Đã phê duyệt'), 'state not shown');
    });
    await check('submit', async () => {
      await p.goto(base + '/danh-gia/' + aid + '/gui');
      // the request letter (tờ trình): keep what the page proposes, fill what is empty
      for (const t of await p.$$('form textarea')) {
        if (await t.isVisible() && !(await t.inputValue()).trim()) await t.fill('Kính đề nghị Sở Giáo dục và Đào tạo đánh giá ngoài.');
      }
      await p.screenshot({ path: path.join(art, 'submit-desktop.png'), fullPage: true });
      const btn = p.locator('form button[type=submit]', { hasText: /Gửi/ });
      assert(await btn.count() > 0, 'no «Gửi» button');
      const [r] = await Promise.all([p.waitForNavigation(), btn.first().click()]);
      assert(r.status() === 200, 'submit → ' + r.status() + ': ' + (await p.textContent('main')).slice(0, 300));
      assert(await state() === 'submitted', 'state ' + await state());
    });
    await check('submitted-matches-engine', async () => {
      await p.goto(base + '/danh-gia/' + aid);
      const v = await matchesEngine(p, aid);
      assert(v.self_level === v.score.level, 'stored self level ' + v.self_level + ', engine ' + v.score.level);
    });

    // ---- the print view ----------------------------------------------------------------------
    await check('print-view', async () => {
      await p.goto(base + '/danh-gia/' + aid + '/in');
      const v = await api(p, '/api/v1/danh-gia/' + aid);
      const text = await p.textContent('article.print');
      assert(text.includes('KẾT QUẢ TỰ ĐÁNH GIÁ'), 'no title');
      assert(text.includes(v.score.level_explain), 'no conclusion');
      const groupRows = await p.$$eval('tr.group-row', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent.trim())));
      v.score.groups.forEach((g, i) => assert(Number(groupRows[i][3].replace(',', '.')) === g.points, 'group ' + g.code + ' print ' + groupRows[i][3] + ' engine ' + g.points));
      await p.emulateMedia({ media: 'print' });
      await p.screenshot({ path: path.join(art, 'print-desktop.png'), fullPage: true });
      await p.pdf({ path: path.join(art, 'print-a4.pdf'), format: 'A4', printBackground: false });
      assert(fs.statSync(path.join(art, 'print-a4.pdf')).size > 10000, 'tiny PDF');
      await p.emulateMedia({ media: 'screen' });
    });
    await P.context.close();

    // ---- a phone ------------------------------------------------------------------------------
    const M = await signIn(browser, PRINCIPAL, { width: 390, height: 844 });
    const m = M.page;
    for (const [name, url] of [['home', '/'], ['assessment', '/danh-gia/' + aid], ['print', '/danh-gia/' + aid + '/in']]) {
      await m.goto(base + url);
      await m.screenshot({ path: path.join(art, name + '-phone.png'), fullPage: name !== 'assessment' });
      // the print view is an A4 sheet: on a phone it may be wider than the screen, like a PDF
      if (name === 'print') continue;
      await check('phone-' + name + '-fits-width', async () => {
        const w = await m.evaluate(() => document.documentElement.scrollWidth);
        assert(w <= 390 + 1, 'page is ' + w + ' px wide on a 390 px screen');
      });
    }
    await M.context.close();

    // ---- JavaScript off: the form still works --------------------------------------------------
    await check('javascript-off-sign-in-and-read', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 768 } });
      const page = await context.newPage();
      await page.goto(base + '/dang-nhap');
      await page.fill('input[name=login]', MEMBER);
      await page.fill('input[name=password]', PASSWORD);
      await Promise.all([page.waitForNavigation(), page.click('form[action="/dang-nhap"] button[type=submit]')]);
      await page.goto(base + '/danh-gia/' + aid);
      assert((await page.textContent('table.totals')).includes('/100'), 'no totals');
      await context.close();
    });

    await check('no-csp-violations-or-script-errors', async () => {
      assert(problems.length === 0, problems.join('\n'));
    });
  } catch (e) {
    notok('browser-run', e && e.stack ? e.stack : e);
  } finally {
    await browser.close();
  }
  console.log('# browser suite: ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s; screenshots in ' + art);
  process.exit(failed() ? 1 : 0);
})();
