// report.js — what the browser tests share: the "ok NAME" / "not ok NAME"
// lines test/cli/browser.sh counts, and a watch on every page for CSP
// violations and script errors (collected in `problems`, asserted empty
// at the end of each walk).
let failures = 0;
const problems = [];

function ok(name) { console.log('ok ' + name); }
function notok(name, why) {
  failures++;
  console.log('not ok ' + name);
  for (const l of String(why).split('\n').slice(0, 12)) console.log('  ' + l);
}
async function check(name, fn) {
  try { await fn(); ok(name); return true; } catch (e) { notok(name, e && e.stack ? e.stack : e); return false; }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }
function failed() { return failures > 0; }

function watch(page, who) {
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) problems.push(who + ': ' + m.text());
  });
  page.on('pageerror', (e) => problems.push(who + ' script error: ' + e.message));
  page.on('dialog', (d) => d.accept());            // data-confirm buttons
}

module.exports = { ok, notok, check, assert, failed, watch, problems };
