// This session's new pages in a real browser: Debian's Chromium driven by playwright-core
// against the `chiso serve` that test/cli/browser.sh started on the copy of the demo data
// set the school walk (run.js) used. Prints one "ok NAME" / "not ok NAME" line per check.
//
//  - Batch documents (page_job.c): the Sở's officer starts external-evaluation minutes as
//    PDF from the round's "Văn bản" tab twice — in a context without JavaScript, whose job
//    page reaches "Hoàn thành" through its <noscript> meta refresh alone, and in one with
//    JavaScript, whose <progress> bar assets/chiso.js moves from the JSON status (every
//    value the script gives the bar is recorded across the page's own reload) until the
//    page reloads itself on "Hoàn thành"; the ZIP comes through the link as a download
//    and holds one PDF per evaluated unit of the round (the count the database gives,
//    $EXTRA_EVALUATED) and danh-sach.csv.
//  - The Phòng's own 3806 assessment (web_derived.c): group 2's four derived items show
//    their formula, their inputs and the "Đơn vị tác động" table, whose rows agree with
//    the numbers in the item's line; no overall level under the official (incomplete)
//    file; group 1 awaits its criteria; at 360 px the page body does not scroll sideways.
//  - Administration (page_admin.c): the system administrator finds a unit by a name typed
//    without tone marks, opens it and reads its dated relation history; creates an account
//    from the form behind "Thêm tài khoản" (303 to its page, the generated password shown
//    once: gone after a reload, never in the URL) that then signs in in another context; the
//    red lock button does nothing until its confirmation box is ticked; the dissolved Phòng
//    are hidden until asked for, then marked; the frameworks are cards on a phone.
//  - The round summary (page_dash.c): every "Tải XLSX" link downloads a file that starts
//    with the ZIP signature.
// Screenshots at 1366 and 390 px go to $ARTEFACTS/extra (not committed).
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { ok, notok, check, assert, failed, watch, problems } = require('./report');

const base = process.env.CHISO_URL;
const art = path.join(process.env.ARTEFACTS || 'build/artefacts', 'extra');
const ROUND = Number(process.env.EXTRA_ROUND);                 // the Sở's current round
const EVALUATED = Number(process.env.EXTRA_EVALUATED);         // its units evaluated or later
const PHONG_A = Number(process.env.EXTRA_PHONG_ASSESSMENT);    // Phòng Quy Nhơn's own 3806 assessment
const PASSWORD = 'chiso2025';
const DESKTOP = { width: 1366, height: 900 }, PHONE = { width: 390, height: 844 };
const JOB_WAIT = 240000;        // a batch of ~56 PDFs under ASan on a loaded machine
fs.mkdirSync(art, { recursive: true });


async function signIn(browser, login, opts) {
  const context = await browser.newContext(Object.assign({ viewport: DESKTOP, locale: 'vi-VN', acceptDownloads: true }, opts || {}));
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  watch(page, login);
  await page.goto(base + '/dang-nhap');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', (opts && opts.password) || PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/dang-nhap"] button[type=submit]')]);
  assert(new URL(page.url()).pathname !== '/dang-nhap', login + ' could not sign in');
  return { context, page };
}

// Desktop and phone screenshots; the phone one must not scroll sideways
async function shoot(page, name) {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(art, name + '-desktop.png'), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(art, name + '-phone.png'), fullPage: true });
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.setViewportSize(DESKTOP);
  await check('phone-fits-' + name, async () => assert(w <= PHONE.width, name + ' is ' + w + ' px wide on a ' + PHONE.width + ' px screen'));
}

// The entries of a ZIP archive, from its central directory
function zipNames(b) {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--)
    if (b.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  assert(eocd >= 0, 'no end of central directory: not a ZIP');
  const n = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const names = [];
  for (let k = 0; k < n; k++) {
    assert(b.readUInt32LE(p) === 0x02014b50, 'broken central directory entry ' + k);
    const ln = b.readUInt16LE(p + 28), le = b.readUInt16LE(p + 30), lc = b.readUInt16LE(p + 32);
    names.push(b.toString('utf8', p + 46, p + 46 + ln));
    p += 46 + ln + le + lc;
  }
  return names;
}

async function download(page, link) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), link.click()]);
  const file = await dl.path();
  assert(file, 'download failed: ' + await dl.failure());
  return { name: dl.suggestedFilename(), data: fs.readFileSync(file) };
}

// ---- batch documents --------------------------------------------------------------------------

// Start a batch from the round's Văn bản tab; resolves on the job's page
async function startBatch(page, signer) {
  await page.goto(base + '/dot/' + ROUND + '/van-ban');
  const form = page.locator(`form[action="/dot/${ROUND}/van-ban/hang-loat"]`);
  await form.locator('select[name=loai]').selectOption('bien-ban-danh-gia-ngoai');
  await form.locator('input[name=dinh_dang][value=pdf]').check();
  if (signer) await form.locator('input[name=nguoi_ky]').fill(signer);
  const [r] = await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  assert(r.status() === 200, 'job page status ' + r.status());
  assert(new RegExp(`^/dot/${ROUND}/van-ban/hang-loat/[0-9]+$`).test(new URL(page.url()).pathname), 'landed on ' + page.url());
}

async function batch(browser) {
  // JavaScript off: the page refreshes itself (<noscript><meta http-equiv="refresh">)
  const N = await signIn(browser, 'so.binhdinh', { javaScriptEnabled: false });
  // JavaScript on: every value the script gives the bar, kept in sessionStorage across reloads
  const J = await signIn(browser, 'so.binhdinh');
  await J.context.addInitScript(() => {
    const log = (e) => {
      const l = JSON.parse(sessionStorage.getItem('chiso-bar') || '[]');
      l.push(e);
      sessionStorage.setItem('chiso-bar', JSON.stringify(l));
    };
    document.addEventListener('DOMContentLoaded', () => {
      const bar = document.getElementById('job-progress'), st = document.getElementById('job-state');
      if (!bar) return;
      log({ load: true, v: bar.value, m: bar.max, s: st && st.textContent });
      new MutationObserver(() => log({ v: bar.value, m: bar.max, s: st && st.textContent }))
        .observe(bar, { attributes: true, attributeFilter: ['value', 'max'] });
    });
  });

  // the one without JavaScript first (signed differently: not the same batch), so that
  // the JavaScript one waits behind it and then runs for a while under the script's polls
  let nLoads = 0, nFirstRefresh = false;
  N.page.on('framenavigated', (f) => { if (f === N.page.mainFrame()) nLoads++; });
  const started = await check('batch-nojs-starts', async () => {
    await startBatch(N.page, 'Nguyễn Văn Ký');
    nFirstRefresh = await N.page.locator('meta[http-equiv=refresh]').count() > 0 ||
      (await N.page.textContent('#job-state')).includes('Hoàn thành');
  });
  const loadsAtStart = nLoads;
  let jsUrl = null;
  await check('batch-js-starts', async () => {
    await startBatch(J.page, '');
    jsUrl = J.page.url();
    // (a loaded machine may show the queued job's page before its bar is drawn)
    await J.page.locator('progress#job-progress').waitFor({ timeout: 15000 }).catch(() => {});
    assert(await J.page.locator('progress#job-progress').count() === 1, 'no progress bar');
  });
  if (!started || !jsUrl) return;

  const nojs = (async () => {
    await check('batch-nojs-meta-refresh-reaches-done', async () => {
      assert(nFirstRefresh, 'the unfinished job page has no meta refresh without JavaScript');
      await N.page.locator('#job-state', { hasText: 'Hoàn thành' }).waitFor({ timeout: JOB_WAIT });
      assert(nLoads > loadsAtStart, 'the page never reloaded itself');
      assert(await N.page.locator('meta[http-equiv=refresh]').count() === 0, 'a finished job still refreshes');
      const [v, m] = await N.page.$eval('#job-progress', (b) => [b.value, b.max]);
      assert(v === EVALUATED && m === EVALUATED, 'bar ' + v + '/' + m + ', ' + EVALUATED + ' evaluated units');
      assert(await N.page.locator('a[href$="/tai-ve"]').count() === 1, 'no ZIP link');
    });
  })();

  const js = (async () => {
    await check('batch-js-progress-bar-advances-and-page-reloads-on-done', async () => {
      await J.page.locator('#job-state', { hasText: 'Hoàn thành' }).waitFor({ timeout: JOB_WAIT });
      assert(J.page.url() === jsUrl, 'left the job page: ' + J.page.url());
      const log = JSON.parse(await J.page.evaluate(() => sessionStorage.getItem('chiso-bar') || '[]'));
      const loads = log.filter((e) => e.load);
      assert(loads.length >= 2, 'the script never reloaded the page: ' + JSON.stringify(log).slice(0, 300));
      const first = loads[0], last = loads[loads.length - 1];
      assert(!/Hoàn thành/.test(first.s), 'the job was done before its page opened');
      const moves = log.slice(0, log.lastIndexOf(last)).filter((e) => !e.load);
      assert(moves.length > 0, 'the script never moved the bar: ' + JSON.stringify(log).slice(0, 300));
      assert(moves.some((e) => e.v > first.v && e.v < EVALUATED && e.m === EVALUATED),
        'no value between the first and the last on the way: ' + JSON.stringify(moves).slice(0, 300));
      for (let i = 1; i < moves.length; i++) assert(moves[i].v >= moves[i - 1].v, 'the bar went back: ' + JSON.stringify(moves));
      assert(last.v === EVALUATED && last.m === EVALUATED, 'final bar ' + last.v + '/' + last.m);
      const count = await J.page.textContent('#job-count');
      assert(count.includes(EVALUATED + '/' + EVALUATED + ' văn bản'), 'count "' + count + '"');
    });
    await check('batch-progress-bar-labelled', async () => {
      const label = await J.page.$eval('#job-progress', (b) => (b.labels && b.labels[0] ? b.labels[0].textContent : b.getAttribute('aria-label') || ''));
      assert(label.trim().length > 0, 'the progress bar has no label');
    });
    await check('batch-zip-download', async () => {
      const { name, data } = await download(J.page, J.page.locator('a[href$="/tai-ve"]'));
      fs.writeFileSync(path.join(art, 'batch.zip'), data);
      assert(/^bien-ban-danh-gia-ngoai-dot[0-9]+-[0-9-]+\.zip$/.test(name), 'file name ' + name);
      assert(data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'not a ZIP: ' + data.subarray(0, 8).toString('hex'));
      const names = zipNames(data);
      const pdfs = names.filter((n) => /\.pdf$/.test(n));
      assert(names.length === EVALUATED + 1 && pdfs.length === EVALUATED && names.includes('danh-sach.csv'),
        names.length + ' entries (' + pdfs.length + ' PDF), wanted ' + EVALUATED + ' PDF and danh-sach.csv');
    });
    await shoot(J.page, 'batch-job');
    await J.page.goto(base + '/dot/' + ROUND + '/van-ban');
    await check('batch-tab-lists-both-jobs', async () => {
      const rows = await J.page.locator('#hang-loat tbody tr', { hasText: 'Hoàn thành' }).count();
      assert(rows >= 2, rows + ' finished batches listed');
    });
    await shoot(J.page, 'round-documents-tab');
  })();
  await Promise.all([nojs, js]);
  await N.context.close();
  await J.context.close();
}

// ---- the Phòng's own 3806 assessment -------------------------------------------------------------

async function office3806(browser) {
  const P = await signIn(browser, 'phong.quynhon');
  const p = P.page;
  const r = await p.goto(base + '/danh-gia/' + PHONG_A);
  await check('office3806-page-opens', async () => assert(r.status() === 200, 'status ' + r.status()));
  await check('office3806-group1-awaits-criteria', async () => {
    const g1 = await p.textContent('#nhom-1');
    assert(g1.includes('Chưa có tiêu chí'), 'group 1: ' + g1.replace(/\s+/g, ' ').slice(0, 200));
    assert(await p.locator('#nhom-1 input:not([type=hidden]), #nhom-1 textarea').count() === 0, 'group 1 has fields');
  });
  await check('office3806-derived-items-inputs-and-units', async () => {
    const items = p.locator('#nhom-2 tr.derived-item');
    const n = await items.count();
    assert(n === 4, n + ' derived items in group 2');
    for (let i = 0; i < n; i++) {
      const it = items.nth(i);
      const code = (await it.locator('td').first().textContent()).trim();
      assert((await it.textContent()).includes('Công thức'), code + ': no formula');
      const sum = await it.locator('details.units-moving summary').textContent();
      const m = /Đơn vị tác động \(([0-9]+) đơn vị được tính/.exec(sum);
      assert(m, code + ': summary "' + sum + '"');
      const counted = Number(m[1]);
      assert(counted > 0, code + ': no unit counted');
      const table = it.locator('details.units-moving table.units');
      assert(!await table.isVisible(), code + ': the table is open before its summary is clicked');
      await it.locator('details.units-moving summary').click();
      assert(await table.isVisible(), code + ': the units table does not open');
      const heads = await table.locator('thead th').allTextContents();
      assert(heads.includes('Mã') && heads.includes('Đơn vị') && heads.includes('Mức công nhận'), code + ': headings ' + heads);
      const rows = await table.locator('tbody tr').count();
      assert(rows === counted, code + ': ' + rows + ' rows for ' + counted + ' units counted');
      // the ratio items: "44/52 đơn vị (84,62%) đạt Mức 2 trở lên" — the rows not reaching it are the difference
      const line = (await it.locator('td').nth(2).evaluate((td) => {
        const c = td.cloneNode(true);
        c.querySelectorAll('details').forEach((d) => d.remove());    // the item's own lines, not the units table
        return c.textContent;
      })).replace(/\s+/g, ' ');
      const q = /([0-9]+)\/([0-9]+) đơn vị \([0-9,]+%\) đạt Mức ([23])/.exec(line);
      if (q) {
        assert(Number(q[2]) === counted, code + ': ' + q[2] + ' in the line, ' + counted + ' in the summary');
        const below = await table.locator('tbody tr', { hasText: 'Chưa đạt' }).count();
        assert(below === counted - Number(q[1]), code + ': ' + below + ' rows "Chưa đạt", the line says ' + (counted - Number(q[1])));
      } else {
        assert(/điểm trung bình nhóm [12] của [0-9]+ đơn vị/.test(line), code + ': no input in "' + line.replace(/\s+/g, ' ').slice(0, 200) + '"');
      }
    }
  });
  await check('office3806-no-overall-level', async () => {
    const summary = (await p.textContent('section.summary')).replace(/\s+/g, ' ');
    assert(/chưa xếp mức/.test(summary), 'conclusion: ' + summary.slice(0, 300));
    assert(!/Mức [123]\b/.test(summary), 'a level in the summary: ' + summary.slice(0, 300));
    const g2 = await p.locator('table.totals tbody tr').nth(1).textContent();
    assert(/tạm tính/.test(g2), 'group 2 not provisional: ' + g2);
    assert(await p.locator('button', { hasText: 'Lưu kết quả tự đánh giá' }).count() === 0, 'a save button with nothing to type');
  });
  await shoot(p, 'office3806');
  // a narrow phone, the unit tables open: the body never scrolls sideways, the tables scroll inside
  await p.setViewportSize({ width: 360, height: 800 });
  await check('office3806-360px-no-horizontal-overflow', async () => {
    await p.evaluate(() => document.querySelectorAll('details.units-moving').forEach((d) => { d.open = true; }));
    const [sw, cw] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert(sw <= cw, 'page ' + sw + ' px wide in a ' + cw + ' px window');
    const wraps = await p.$$eval('details.units-moving .table-scroll', (ws) => ws.map((w) => {
      const r = w.getBoundingClientRect();
      return { right: r.right, scrolls: w.scrollWidth > w.clientWidth, headRow: w.querySelector('thead').getBoundingClientRect().height > 0 };
    }));
    assert(wraps.length === 4, wraps.length + ' unit tables');
    for (const w of wraps) {
      assert(w.right <= cw, 'a unit table reaches ' + w.right + ' px');
      assert(w.headRow, 'a unit table lost its headings on the phone');
    }
  });
  await p.screenshot({ path: path.join(art, 'office3806-360.png'), fullPage: false });
  await P.context.close();
}

// ---- administration -------------------------------------------------------------------------------

async function admin(browser) {
  const A = await signIn(browser, 'admin');
  const p = A.page;
  await check('admin-unit-search-without-tone-marks', async () => {
    await p.goto(base + '/quan-tri/don-vi');
    const form = p.locator('form', { has: p.locator('input[name=q]') }).first();
    await form.locator('input[name=q]').fill('nhon binh');
    await Promise.all([p.waitForNavigation(), form.locator('button[type=submit]').click()]);
    const link = p.locator('a', { hasText: 'Trường TH&THCS Nhơn Bình' });
    assert(await link.count() === 1, 'no "Trường TH&THCS Nhơn Bình" in the results');
    const others = await p.locator('main tbody tr').count();
    assert(others >= 1 && others <= 3, others + ' units for "nhon binh"');
    await shoot(p, 'admin-units-search');
    await Promise.all([p.waitForNavigation(), link.click()]);
    assert(/\/quan-tri\/don-vi\/[0-9]+$/.test(p.url()), 'opened ' + p.url());
  });
  await check('admin-unit-relation-history', async () => {
    assert((await p.textContent('h1')).includes('Nhơn Bình'), 'heading ' + await p.textContent('h1'));
    const tables = p.locator('table.history');
    assert(await tables.count() === 2, await tables.count() + ' history tables');
    for (let i = 0; i < 2; i++) {
      const rows = (await tables.nth(i).locator('tbody tr').allTextContents()).map((t) => t.replace(/\s+/g, ' '));
      // the dissolved Phòng until 30/06/2025, then the new body from 01/07/2025 to now
      assert(rows.some((t) => t.includes('Phòng Giáo dục và Đào tạo thành phố Quy Nhơn') && t.includes('30/06/2025')),
        'no ended relation with the Phòng: ' + rows.join(' | '));
      assert(rows.some((t) => t.includes('01/07/2025') && t.includes('nay')), 'no current relation from 01/07/2025: ' + rows.join(' | '));
    }
    const current = (await tables.nth(0).locator('tr.current').textContent()).replace(/\s+/g, ' ');
    assert(current.includes('Quy Nhơn Nam'), 'current managing body: ' + current);
  });
  await shoot(p, 'admin-unit');
  let password = null;
  const login = 'cb.thu' + Date.now().toString(36).slice(-5);
  await check('admin-creates-account', async () => {
    await p.goto(base + '/quan-tri/tai-khoan');
    // the form waits behind "Thêm tài khoản" (a <details>), above the list
    const form = p.locator('form[action="/quan-tri/tai-khoan"][method=post]');
    assert(!(await form.isVisible()), 'the create form is open before "Thêm tài khoản" is clicked');
    await p.click('details#tao > summary');
    await form.locator('input[name=dang_nhap]').fill(login);
    await form.locator('input[name=ho_ten]').fill('Lê Thị Thử Nghiệm');
    await form.locator('input[name=email]').fill(login + '@binhdinh.edu.vn');
    await form.locator('select[name=vai_tro]').selectOption('officer');
    await form.locator('input[name=don_vi]').fill('52000000');
    const [r] = await Promise.all([p.waitForNavigation(), form.locator('button[type=submit]').click()]);
    assert(r.status() < 400, 'status ' + r.status() + ': ' + (await p.textContent('main')).replace(/\s+/g, ' ').slice(0, 300));
    // redirected (303) to the new account's page, the password shown there once
    assert(/\/quan-tri\/tai-khoan\/[0-9]+$/.test(p.url()), 'after creating: ' + p.url());
    password = (await p.textContent('strong.password')).trim();
    assert(password.length >= 8, 'generated password "' + password + '"');
    assert(!p.url().includes(password), 'the password is in the URL');
    assert((await p.textContent('main')).includes(login), 'the new account is not named on the page');
    const again = await p.reload();
    assert(again.request().method() === 'GET', 'the reload posted the form again');
    assert(await p.locator('strong.password').count() === 0, 'the password is shown again after a reload');
  });
  await check('admin-lock-needs-confirmation', async () => {
    // the danger button does nothing until the box is ticked (the browser's required check)
    const lock = p.locator('form[action$="/trang-thai"] button.danger');
    assert(await lock.count() === 1, 'no danger-styled lock button');
    const bg = await lock.evaluate((b) => getComputedStyle(b).backgroundColor);
    assert(bg === 'rgb(179, 38, 30)', 'lock button colour ' + bg);
    const url = p.url();
    await lock.click();
    await p.waitForTimeout(300);
    assert(p.url() === url && (await p.textContent('main')).includes('Đang hoạt động'), 'locked without the confirmation');
  });
  await shoot(p, 'admin-accounts');
  if (password) {
    await check('admin-new-account-signs-in', async () => {
      const S = await signIn(browser, login, { password });
      const body = await S.page.textContent('body');
      assert(body.includes('Lê Thị Thử Nghiệm'), 'the new account\'s name is not shown');
      assert(body.includes('Sở Giáo dục và Đào tạo tỉnh Gia Lai'), 'its office is not shown');
      const r = await S.page.goto(base + '/quan-tri/tai-khoan');
      assert(r.status() === 403, 'an officer opens the accounts page: ' + r.status());
      await S.context.close();
    });
  }
  await check('admin-dissolved-units-marked', async () => {
    await p.goto(base + '/quan-tri/don-vi?loai=phong');
    assert(await p.locator('main tbody tr').count() === 0, 'dissolved Phòng listed by default');
    await p.check('input[name=giai_the]');
    await Promise.all([p.waitForNavigation(), p.click('form.filters button[type=submit]')]);
    const marks = await p.locator('main tbody tr.dissolved .badge.dissolved').allTextContents();
    assert(marks.length === 4 && marks.every((t) => t.includes('Đã giải thể từ 01/07/2025')), 'marks: ' + marks.join(' | '));
    await shoot(p, 'admin-units-dissolved');
  });
  await check('admin-frameworks-phone-cards', async () => {
    await p.goto(base + '/quan-tri/bo-chi-so');
    await p.setViewportSize(PHONE);
    // each framework a card: its whole name on a few lines, not one word a line
    const h = await p.locator('table.frameworks tbody tr').first().locator('td.fw-name').evaluate((td) => td.getBoundingClientRect().width);
    await p.setViewportSize(DESKTOP);
    assert(h > 250, 'the name cell is ' + h + ' px wide on a phone');
  });
  for (const [pth, name] of [['/quan-tri/bo-chi-so', 'admin-frameworks'], ['/quan-tri/don-vi/moi', 'admin-unit-new'],
    ['/quan-tri/tai-khoan', 'admin-accounts-list'], ['/quan-tri/don-vi/nhap', 'admin-import']]) {
    await p.goto(base + pth);
    await shoot(p, name);
  }
  await A.context.close();
}

// ---- the round summary -------------------------------------------------------------------------------

async function summary(browser) {
  const S = await signIn(browser, 'so.binhdinh');
  const p = S.page;
  const r = await p.goto(base + '/tong-hop/' + ROUND);
  await check('summary-page-opens', async () => assert(r.status() === 200, 'status ' + r.status()));
  await check('summary-xlsx-downloads-are-zip', async () => {
    const links = p.locator('a[href$=".xlsx"]');
    const n = await links.count();
    const labelled = await p.locator('a', { hasText: 'Tải XLSX' }).count();
    assert(labelled >= 5, labelled + ' "Tải XLSX" links');
    const seen = new Set();
    for (let i = 0; i < n; i++) {
      const href = await links.nth(i).getAttribute('href');
      if (seen.has(href)) continue;      // the same table offered twice
      seen.add(href);
      const { name, data } = await download(p, links.nth(i));
      assert(data.length > 100 && data.subarray(0, 2).toString('latin1') === 'PK', href + ' → ' + name + ' starts with ' + data.subarray(0, 4).toString('hex'));
      assert(/\.xlsx$/.test(name), href + ' saved as ' + name);
      assert(zipNames(data).includes('xl/workbook.xml'), href + ': no xl/workbook.xml');
    }
    assert(seen.size >= 6, seen.size + ' different XLSX files');
  });
  // the charts (chart.c): the page's font, most of the card's width on a desktop, text of
  // at least 12 px that stays inside the chart on phones, labels never cut at their end
  const charts = () => p.evaluate(() => [...document.querySelectorAll('svg.chart')].map((svg) => {
    const box = svg.getBoundingClientRect(), card = svg.parentElement.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')];
    const labels = texts.filter((t) => t.querySelector('tspan')).map((t) => ({
      full: t.querySelector('title').textContent, lines: [...t.querySelectorAll('tspan')].map((s) => s.textContent) }));
    return {
      title: svg.querySelector('title').textContent, width: box.width, card: card.width,
      fonts: [...new Set(texts.map((t) => getComputedStyle(t).fontFamily))],
      smallest: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a)),
      outside: texts.filter((t) => t.getBoundingClientRect().right > box.right + 1).map((t) => t.textContent),
      labels,
    };
  }));
  const body = await p.evaluate(() => getComputedStyle(document.body).fontFamily);
  await check('summary-charts-page-font-and-width', async () => {
    const cs = await charts();
    assert(cs.length >= 5, cs.length + ' charts');
    for (const c of cs) {
      assert(c.fonts.length === 1 && c.fonts[0] === body, c.title + ': fonts ' + c.fonts.join(' / ') + ', the page ' + body);
      assert(c.width >= 0.7 * c.card, c.title + ': ' + c.width + ' px of a ' + c.card + ' px card');
    }
  });
  await check('summary-chart-labels-not-cut-at-their-end', async () => {
    for (const c of await charts()) {
      const seen = new Map();
      for (const l of c.labels) {
        const last = l.lines[l.lines.length - 1];
        assert(!last.endsWith('…'), c.title + ': ' + JSON.stringify(l.lines));
        assert(l.full.endsWith(last.replace(/^…/, '')), c.title + ': ' + l.full + ' drawn as ' + JSON.stringify(l.lines));
        const key = l.lines.join('\n');
        assert(!seen.has(key) || seen.get(key) === l.full, c.title + ': ' + seen.get(key) + ' and ' + l.full + ' look alike');
        seen.set(key, l.full);
      }
    }
  });
  for (const width of [390, 360]) {
    await p.setViewportSize({ width, height: 800 });
    await check('summary-charts-readable-at-' + width, async () => {
      for (const c of await charts()) {
        assert(c.smallest >= 12, c.title + ': text of ' + c.smallest.toFixed(1) + ' px');
        assert(!c.outside.length, c.title + ': past the chart\'s edge: ' + c.outside.slice(0, 3).join(' | '));
      }
      const w = await p.evaluate(() => document.documentElement.scrollWidth);
      assert(w <= width, 'the summary is ' + w + ' px wide');
      // the level and target tables are one block per row there, no cell wider than its table
      const wide = await p.evaluate(() => [...document.querySelectorAll('table.labelled td')]
        .filter((td) => td.getBoundingClientRect().right > td.closest('table').getBoundingClientRect().right + 1).length);
      assert(!wide, wide + ' cells past their table');
      const kq = await p.evaluate(() => [...document.querySelectorAll('table.labelled td[data-label="Kết quả"]')]
        .map((td) => td.getBoundingClientRect().width));
      assert(kq.length && kq.every((x) => x > 200), '"Kết quả" cells ' + kq.join(', ') + ' px wide');
    });
  }
  await p.setViewportSize(DESKTOP);
  // the A4 print view of an assessment fits a phone's screen
  const href = await p.locator('main a[href^="/danh-gia/"]').first().getAttribute('href');
  const id = (href.match(/^\/danh-gia\/(\d+)/) || [])[1];
  await p.goto(base + '/danh-gia/' + id + '/in');
  for (const width of [390, 360]) {
    await p.setViewportSize({ width, height: 800 });
    await check('assessment-print-view-fits-' + width, async () => {
      const w = await p.evaluate(() => document.documentElement.scrollWidth);
      assert(w <= width, '/danh-gia/' + id + '/in is ' + w + ' px wide');
    });
  }
  await p.setViewportSize(DESKTOP);
  await p.goto(base + '/tong-hop/' + ROUND);
  await shoot(p, 'summary');
  await S.context.close();
}

// A commune officer follows its schools in the Sở's round: from its home to
// its schools' summary, one school's file read-only; never the inbox,
// the review or the recognition (issue 11, item 1).
async function commune(browser) {
  const S = await signIn(browser, 'ubnd.quynhon');
  const p = S.page;
  await check('commune-home-shows-round', async () => {
    const body = await p.textContent('main');
    assert(!body.includes('Cơ quan chưa mở đợt đánh giá nào'), 'the home says no round');
    assert(await p.locator('a[href="/dot/' + ROUND + '/truong-quan-ly"]').count() === 1, 'no link to its schools');
  });
  await Promise.all([p.waitForNavigation(), p.click('a[href="/dot/' + ROUND + '/truong-quan-ly"]')]);
  await check('commune-dashboard', async () => {
    const rows = await p.locator('table.units tbody tr').count();
    assert(rows > 0, 'no school listed');
    const total = await p.textContent('tr.total td');
    assert(Number(total) === rows, 'levels total ' + total + ' for ' + rows + ' schools');
    assert((await p.textContent('main')).includes('Mức chuyển đổi số theo loại hình'), 'no levels table');
  });
  await shoot(p, 'commune-dashboard');
  await check('commune-reminds-late-schools', async () => {
    const late = await p.locator('table.units tbody tr.overdue-row').count();
    assert(late > 0, 'no late school listed (the round\'s deadline is past)');
    const form = p.locator('#nhac-nho form');
    assert((await form.textContent()).includes(late + ' trường quá hạn'), 'the form does not count ' + late + ' late schools');
    await form.locator('textarea[name="loi_nhan"]').fill('Đề nghị hoàn thành hồ sơ trong tuần.');
    await Promise.all([p.waitForNavigation(), form.locator('button[type=submit]').click()]);
    assert(/\/dot\/\d+\/truong-quan-ly\/nhac-nho\/\d+$/.test(new URL(p.url()).pathname), 'not the reminder job: ' + p.url());
    assert((await p.textContent('main')).includes('Nhắc các trường quá hạn'), 'no reminder page');
    await p.goto(base + '/dot/' + ROUND + '/truong-quan-ly');
  });
  await check('commune-opens-school-read-only', async () => {
    await Promise.all([p.waitForNavigation(), p.locator('table.units tbody tr td.name a').first().click()]);
    assert(/\/danh-gia\/\d+$/.test(new URL(p.url()).pathname), 'not a school file: ' + p.url());
    assert(await p.locator('form button[type=submit]:has-text("Lưu")').count() === 0, 'the commune is offered a save button');
    assert(await p.locator('input[name^="v:"]:not([disabled])').count() === 0, 'editable answers for the commune');
  });
  await check('commune-cannot-evaluate-or-recognise', async () => {
    for (const u of ['/dot/' + ROUND + '/hop-thu', '/dot/' + ROUND + '/cong-nhan', '/dot/' + ROUND + '/doan']) {
      const r = await p.goto(base + u);
      assert(r.status() === 403, u + ': ' + r.status());
    }
  });
  await S.context.close();
}

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    assert(ROUND > 0 && EVALUATED > 0 && PHONG_A > 0, 'EXTRA_ROUND, EXTRA_EVALUATED, EXTRA_PHONG_ASSESSMENT not set');
    // the batch mostly waits for the server's worker: the other pages meanwhile
    const b = batch(browser).catch((e) => notok('batch', e.stack || e));
    for (const part of [office3806, admin, summary, commune])
      await part(browser).catch((e) => notok(part.name, e.stack || e));
    await b;
    await check('extra-no-csp-violation-or-script-error', async () => assert(problems.length === 0, problems.join('\n')));
  } catch (e) {
    notok('extra-suite', e.stack || e);
  } finally {
    await browser.close();
  }
  console.error('# extra.js: ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
  process.exit(failed() ? 1 : 0);
})();
