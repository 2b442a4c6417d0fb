// phone.js — the office's round pages on phones and the deadline-extension request,
// in Debian's Chromium against the `chiso serve` test/cli/browser.sh started on a
// copy of the demo data set (its own copy: this walk writes). One "ok NAME" /
// "not ok NAME" line per check.
//
//  - Phones (issue 16, item 10): at 360 and 390 px the round's "Văn bản", "Đoàn đánh
//    giá ngoài" and "Công nhận và công bố" pages do not scroll sideways, and no cell
//    of their tables breaks one word per line (the recognition lists become one block
//    per unit, its tick beside its name).
//  - "Xin gia hạn" (issue 16, item 5): the principal of a school whose deadline is near
//    reads on the home who can extend it and sends a request with a reason; the Sở's
//    officer finds it in "Hộp hồ sơ" and grants a new date; the principal reads it.
// Screenshots at 1366 and 360 px go to $ARTEFACTS/phone (not committed).
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { check, assert, failed, watch, problems } = require('./report');

const base = process.env.CHISO_URL;
const art = path.join(process.env.ARTEFACTS || 'build/artefacts', 'phone');
const ROUND = Number(process.env.PHONE_ROUND);
const DESKTOP = { width: 1366, height: 900 }, PHONES = [{ width: 360, height: 780 }, { width: 390, height: 844 }];
fs.mkdirSync(art, { recursive: true });

async function signIn(browser, login) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  watch(page, login);
  await page.goto(base + '/dang-nhap');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'chiso2025');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/dang-nhap"] button[type=submit]')]);
  assert(new URL(page.url()).pathname !== '/dang-nhap', login + ' could not sign in');
  return { context, page };
}

async function shoot(page, name) {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(art, name + '-desktop.png'), fullPage: true });
  await page.setViewportSize(PHONES[0]);
  await page.screenshot({ path: path.join(art, name + '-phone.png'), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

// The page's width, and the table cells of three words or more that take a line per word
function layout(page) {
  return page.evaluate(() => {
    const narrow = [];
    for (const td of document.querySelectorAll('main table td, main table th')) {
      const words = td.innerText.trim().split(/\s+/).filter(Boolean);
      if (words.length < 3 || td.getClientRects().length === 0) continue;
      const r = document.createRange();
      r.selectNodeContents(td);
      const lines = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
      if (lines.size >= words.length) narrow.push(td.innerText.trim().slice(0, 40));
    }
    return { width: document.documentElement.scrollWidth, narrow };
  });
}

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
  const closing = [];
  try {
    const O = await signIn(browser, 'so.binhdinh');
    closing.push(O.context);
    const o = O.page;
    for (const [name, url] of [['van-ban', '/van-ban'], ['doan', '/doan'], ['cong-nhan', '/cong-nhan']]) {
      for (const vp of PHONES) {
        await check('phone-' + name + '-' + vp.width, async () => {
          await o.setViewportSize(vp);
          const r = await o.goto(base + '/dot/' + ROUND + url);
          assert(r.status() === 200, 'status ' + r.status());
          const l = await layout(o);
          assert(l.width <= vp.width, name + ' is ' + l.width + ' px wide at ' + vp.width);
          assert(l.narrow.length === 0, 'one word per line: ' + l.narrow.slice(0, 5).join(' | '));
        });
      }
      await shoot(o, name);
    }
    // Touch targets (the outside look, s7): at 360 px the header's links and "Đăng xuất" were 23 px
    // tall, buttons 40, the tabs 35, the inbox's state filters 17; and a date in the report inbox
    // broke as "10/06" over "/2025"
    await check('phone-touch-targets-44px', async () => {
      await o.setViewportSize(PHONES[0]);
      const small = [];
      for (const url of ['/', '/dot/' + ROUND, '/dot/' + ROUND + '/hop-thu', '/bao-cao-cap-duoi']) {
        await o.goto(base + url);
        const found = await o.evaluate((u) => [...document.querySelectorAll(
          'header.top a, header.top button, main button, main a.button, nav.tabs a, nav.state-counts a, nav.pager a')]
          .filter((e) => e.getClientRects().length && !e.classList.contains('skip'))
          .filter((e) => e.getBoundingClientRect().height < 44)
          .map((e) => u + ' ' + (e.textContent || '').trim().slice(0, 25) + ' ' + Math.round(e.getBoundingClientRect().height)), url);
        small.push(...found);
      }
      assert(small.length === 0, 'under 44 px: ' + small.slice(0, 6).join(' | '));
      // the header in one row (it took two, 120 px of a 780 px screen): brand and links side by side
      const head = await o.evaluate(() => {
        const h = document.querySelector('header.top'), b = h.querySelector('.brand'), n = h.querySelector('nav');
        return { height: Math.round(h.getBoundingClientRect().height), same: n && Math.abs(b.getBoundingClientRect().top - n.getBoundingClientRect().top) < 12 };
      });
      assert(head.same && head.height <= 64, 'header: ' + head.height + ' px, brand and links in one row: ' + head.same);
      const broken = await o.evaluate(() => [...document.querySelectorAll('main span.date')]
        .filter((e) => new Set([...e.getClientRects()].map((r) => Math.round(r.top))).size > 1).map((e) => e.textContent));
      assert(broken.length === 0, 'dates over two lines: ' + broken.join(' | '));
      const l = await layout(o);   // the report inbox: one card per report, no title a word per line
      assert(l.width <= PHONES[0].width && l.narrow.length === 0, 'report inbox: ' + l.width + ' px, ' + l.narrow.slice(0, 3).join(' | '));
      await o.setViewportSize(DESKTOP);
    });
    await check('phone-recognition-tick-beside-name', async () => {
      await o.setViewportSize(PHONES[0]);
      await o.goto(base + '/dot/' + ROUND + '/cong-nhan');
      const row = o.locator('#cong-nhan table.pick tbody tr').first();
      const box = await row.locator('input[type=checkbox]').boundingBox(), name = await row.locator('td').nth(1).boundingBox();
      assert(Math.abs(box.y - name.y) < 20 && box.x < name.x, 'tick ' + JSON.stringify(box) + ', name ' + JSON.stringify(name));
      await o.setViewportSize(DESKTOP);
    });

    // ---- Xin gia hạn --------------------------------------------------------------------------------
    const P = await signIn(browser, 'ht.52101001');
    closing.push(P.context);
    const p = P.page;
    const WHY = 'Trường bị ngập sau bão, mất điện năm ngày';
    await check('extension-offered-on-home', async () => {
      await p.goto(base + '/');
      const box = p.locator('section#xin-gia-han');
      const text = await box.textContent();
      assert(/Chỉ\s+Sở Giáo dục và Đào tạo/.test(text), 'who extends: ' + text);
      assert(await box.locator('button', { hasText: 'Xin gia hạn' }).count() === 1, 'no button');
    });
    await shoot(p, 'extension-home');
    await check('extension-requested', async () => {
      await p.fill('section#xin-gia-han textarea[name=ly_do]', WHY);
      await Promise.all([p.waitForNavigation(), p.click('section#xin-gia-han button[type=submit]')]);
      const text = await p.textContent('section#xin-gia-han');
      assert(text.includes(WHY) && text.includes('đang chờ Sở Giáo dục và Đào tạo'), text);
      assert(await p.locator('section#xin-gia-han form').count() === 0, 'a second request offered while one waits');
    });
    const until = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
    await check('extension-granted-in-inbox', async () => {
      await o.goto(base + '/dot/' + ROUND + '/hop-thu');
      const form = o.locator('section#xin-gia-han form.extreq-answer', { hasText: WHY });
      assert(await form.count() === 1, 'request not in the inbox');
      await form.locator('input[name=han]').fill(until);
      await shoot(o, 'extension-inbox');
      await Promise.all([o.waitForNavigation(), form.locator('button[value=gia-han]').click()]);
      assert((await o.textContent('main')).includes('Đã trả lời đơn xin gia hạn.'), 'no notice');
      assert(await o.locator('section#xin-gia-han form.extreq-answer', { hasText: WHY }).count() === 0, 'still waiting');
    });
    await check('extension-answer-read-by-school', async () => {
      await p.goto(base + '/');
      const dmy = until.split('-').reverse().join('/');
      const text = await p.textContent('section#xin-gia-han');
      assert(text.includes('được gia hạn đến ' + dmy), text);
    });
    await shoot(p, 'extension-granted');
    await check('phone-no-script-errors', async () => assert(problems.length === 0, problems.join('\n')));
  } catch (e) {
    await check('phone-walk', async () => { throw e; });
  } finally {
    for (const c of closing) await c.close().catch(() => {});
    await browser.close();
    console.log('# phone browser walk: ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s; screenshots in ' + art);
  }
  process.exit(failed() ? 1 : 0);
})();
