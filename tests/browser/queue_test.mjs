#!/usr/bin/env node
// Browser test of the Admin Utama queue page: a real sambatd with a fresh database, drafts
// seeded through the API with a bearer token, and headless Chromium driven by playwright-core.
//
//   node queue_test.mjs --sambatd build/daemon/sambatd --rules rules --out build/browser
//
// Prints one "ok - ..." / "not ok - ..." line per step; the exit code is 0 only when every
// step passed. Stops at the first failing step (later steps depend on it), saving a
// screenshot of the page as failure.png, and always stops the daemon and the browser.

import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const WAIT_MS = 10_000;          // every single wait
const WATCHDOG_MS = 120_000;     // the whole run, as a last resort
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// ------------------------------------------------------------------ arguments

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--(sambatd|rules|out)(?:=(.*))?$/.exec(a);
    if (!m) usage(`unknown argument ${a}`);
    out[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
    if (out[m[1]] === undefined) usage(`${a} needs a value`);
  }
  for (const k of ['sambatd', 'rules', 'out']) if (!out[k]) usage(`--${k} is required`);
  return {
    sambatd: path.resolve(out.sambatd),
    rules: path.resolve(out.rules),
    out: path.resolve(out.out),
  };
}

function usage(msg) {
  console.error(`queue_test.mjs: ${msg}\nusage: node queue_test.mjs --sambatd PATH --rules PATH --out DIR`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
fs.mkdirSync(opts.out, { recursive: true });

// ------------------------------------------------------------------ step runner

const steps = [];
let failed = false;
let page = null;

async function step(name, fn) {
  if (failed) {
    console.log(`not ok - ${name} # skipped: an earlier step failed`);
    steps.push({ name, ok: false, skipped: true });
    return;
  }
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok - ${name} (${Date.now() - t0} ms)`);
    steps.push({ name, ok: true });
  } catch (e) {
    failed = true;
    steps.push({ name, ok: false });
    console.log(`not ok - ${name} (${Date.now() - t0} ms)`);
    for (const line of String((e && e.stack) || e).split('\n').slice(0, 12)) console.log(`  # ${line}`);
    if (page) {
      try {
        await page.screenshot({ path: path.join(opts.out, 'failure.png'), fullPage: true });
        console.log(`  # page: ${page.url()} (screenshot: ${path.join(opts.out, 'failure.png')})`);
      } catch { /* the page may be gone */ }
    }
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

function assertEq(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`assertion failed: ${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ the daemon

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sambatd-browser-'));
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sambatd-chromium-'));
const cfg = path.join(tmp, 'sambatd.yaml');
const logFile = path.join(tmp, 'sambatd.log');
let daemon = null;
let daemonExit = null;
let context = null;
let base = '';
let token = '';

const ADMIN_PASSWORD = 'rahasia-admin-2024';
const VIEWER_PASSWORD = 'rahasia-pengamat-2024';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function cli(...args) {
  try {
    return execFileSync(opts.sambatd, ['--config', cfg, ...args], {
      cwd: tmp, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error(`sambatd ${args.join(' ')} failed (status ${e.status}): ${e.stderr || e.message}`);
  }
}

function passwordFile(name, password) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

function logTail() {
  try {
    return fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitHealthy() {
  const deadline = Date.now() + WAIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (daemonExit) throw new Error(`sambatd exited early (${daemonExit}):\n${logTail()}`);
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  throw new Error(`GET /healthz did not answer 200 within ${WAIT_MS} ms (${last}):\n${logTail()}`);
}

async function stopDaemon() {
  if (!daemon || daemonExit) return;
  daemon.kill('SIGTERM');
  const deadline = Date.now() + 12_000;
  while (!daemonExit && Date.now() < deadline) await sleep(50);
  if (!daemonExit) {
    console.log('# sambatd did not stop within 12 s of SIGTERM; killing it');
    daemon.kill('SIGKILL');
    while (!daemonExit) await sleep(50);
  }
  console.log(`# sambatd stopped: ${daemonExit}`);
}

// ------------------------------------------------------------------ API helpers (bearer token)

async function apiBearer(method, p, body) {
  const r = await fetch(base + '/api/v1' + p, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: r.status, data };
}

// The draft as the logged-in browser session sees it (cookies of the context).
async function draftViaSession(id) {
  const r = await page.request.get(`${base}/api/v1/drafts/${id}`, { timeout: WAIT_MS });
  assertEq(r.status(), 200, `GET /drafts/${id} with the session cookie`);
  return (await r.json()).draft;
}

async function pendingIdsViaSession() {
  const r = await page.request.get(`${base}/api/v1/drafts?status=pending&limit=50`, { timeout: WAIT_MS });
  assertEq(r.status(), 200, 'GET /drafts?status=pending with the session cookie');
  return (await r.json()).drafts.map((d) => d.id);
}

// ------------------------------------------------------------------ page helpers

const rowIds = () => page.$$eval('#queue-body tr.draft-row', (rows) => rows.map((r) => Number(r.dataset.id)));

async function waitRowCount(n) {
  await page.waitForFunction((count) => document.querySelectorAll('#queue-body tr.draft-row').length === count,
    n, { timeout: WAIT_MS });
}

async function waitHash(hash) {
  await page.waitForFunction((h) => location.hash === h, hash, { timeout: WAIT_MS });
}

async function gotoHash(hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await waitHash(hash);
}

// Opens #/draf/ID and waits until that draft's post text is shown.
async function openDetail(id, mustContain) {
  await gotoHash(`#/draf/${id}`);
  await page.waitForFunction(({ id, text }) => {
    const h2 = document.querySelector('#view-detail h2');
    const post = document.querySelector('#post-text');
    return h2 && h2.textContent.includes('#' + id) && post && post.textContent.includes(text);
  }, { id, text: mustContain }, { timeout: WAIT_MS });
}

async function login(username, password) {
  await page.waitForSelector('#login-form', { state: 'visible', timeout: WAIT_MS });
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${base}/api/v1/session` && r.request().method() === 'POST', { timeout: WAIT_MS }),
    page.click('#login-submit'),
  ]);
  return resp;
}

async function blurActive() {
  await page.evaluate(() => { if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur(); });
}

const activeId = () => page.evaluate(() => (document.activeElement ? document.activeElement.id : ''));

// ------------------------------------------------------------------ the run

const ids = {};
const cspViolations = [];
const pageErrors = [];

const watchdog = setTimeout(async () => {
  console.log(`not ok - watchdog: the run took longer than ${WATCHDOG_MS / 1000} s`);
  try { if (daemon && !daemonExit) daemon.kill('SIGKILL'); } catch { /* gone */ }
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

async function main() {
  const t0 = Date.now();
  console.log(`# temp dir ${tmp}`);

  await step('configuration, users and a bearer token are created with the CLI', async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    fs.writeFileSync(cfg, [
      'database: sambatd.db',
      `rules: ${opts.rules}`,
      'http:',
      `  listen: 127.0.0.1:${port}`,
      'log:',
      '  level: warn',
      '',
    ].join('\n'));
    cli('user', 'add', 'admin', '--role', 'admin_utama', '--password-file', passwordFile('admin.pw', ADMIN_PASSWORD));
    cli('user', 'add', 'pengamat', '--role', 'viewer', '--password-file', passwordFile('pengamat.pw', VIEWER_PASSWORD));
    const out = cli('token', 'create', 'seeder', '--role', 'admin_utama');
    const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
    token = lines[lines.length - 1] || '';
    assert(token.length >= 16 && !/\s/.test(token), `a token on the last line of stdout, got ${JSON.stringify(out)}`);
  });

  await step('sambatd run answers GET /healthz', async () => {
    const log = fs.openSync(logFile, 'a');
    daemon = spawn(opts.sambatd, ['--config', cfg, 'run'], { cwd: tmp, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    daemon.on('exit', (code, signal) => { daemonExit = signal ? `signal ${signal}` : `exit code ${code}`; });
    daemon.on('error', (e) => { daemonExit = `spawn error: ${e.message}`; });
    await waitHealthy();
  });

  await step('drafts are seeded through the API with the bearer token', async () => {
    const seeds = [
      ['jalan', {
        text: 'Jalan di Desa Karangkandri Kecamatan Kesugihan rusak parah banyak lubang, mohon segera diperbaiki',
        url: 'https://x.com/warga/status/1', kanal: 'x',
      }],
      ['pju', {
        text: 'Lampu PJU di jalan Gatot Subroto Cilacap Tengah mati sudah seminggu',
        kanal: 'instagram', nama: 'Siti Aminah', alamat: 'Jl. Gatot Subroto 12, Cilacap Tengah',
      }],
      ['sampah', { text: 'Sampah numpuk di pasar Sidareja belum diangkut', kanal: 'manual' }],
      ['hostile', {
        text: 'Tolong jalan rusak <script>window.__xss=1</script><img src=x onerror="window.__xss=2"> di Kroya',
        kanal: 'facebook',
      }],
    ];
    for (const [key, body] of seeds) {
      const r = await apiBearer('POST', '/drafts', body);
      assertEq(r.status, 201, `POST /drafts (${key}) ${JSON.stringify(r.data)}`);
      assert(r.data && r.data.draft && Number.isInteger(r.data.draft.id), `a draft id in ${JSON.stringify(r.data)}`);
      assertEq(r.data.draft.status, 'pending', `seeded draft ${key} status`);
      ids[key] = r.data.draft.id;
    }
    const unauth = await fetch(`${base}/api/v1/drafts`, { signal: AbortSignal.timeout(WAIT_MS) });
    assertEq(unauth.status, 401, 'GET /drafts without credentials');
  });

  await step('chromium starts', async () => {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
      viewport: { width: 1366, height: 768 },
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
      timeout: WAIT_MS,
    });
    context.setDefaultTimeout(WAIT_MS);
    page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(String(e && e.stack ? e.stack : e)));
  });

  await step('the page asks for a login; admin logs in through the form', async () => {
    const resp = await page.goto(base + '/', { waitUntil: 'domcontentloaded', timeout: WAIT_MS });
    assertEq(resp.status(), 200, 'GET /');
    const csp = resp.headers()['content-security-policy'] || '';
    assert(/script-src 'self'/.test(csp), `a CSP header on /, got ${JSON.stringify(csp)}`);
    const r = await login('admin', ADMIN_PASSWORD);
    assertEq(r.status(), 200, 'POST /session');
    await page.waitForSelector('#app', { state: 'visible' });
    await page.waitForFunction(() => document.querySelector('#user-name').textContent === 'admin');
    const role = await page.textContent('#user-role');
    assertEq(role, 'Admin Utama', 'role shown in the header');
  });

  await step('the queue lists the 4 seeded drafts, oldest first, with SLA countdowns', async () => {
    await waitRowCount(4);
    const got = await rowIds();
    assertEq(JSON.stringify(got), JSON.stringify([ids.jalan, ids.pju, ids.sampah, ids.hostile]), 'row order');
    const sla = await page.textContent(`tr.draft-row[data-id="${ids.jalan}"] .sla`);
    assert(/^(lewat )?\d+:\d\d(:\d\d)?$/.test(sla), `an SLA countdown, got ${JSON.stringify(sla)}`);
    await page.waitForFunction(() => /^\d+$/.test(document.querySelector('#stat-menunggu').textContent));
    assertEq(await page.textContent('#stat-menunggu'), '4', 'header counter "menunggu"');
    const hostileRow = await page.textContent(`tr.draft-row[data-id="${ids.hostile}"]`);
    assert(hostileRow.includes('<script>'), 'the hostile snippet is shown as text in the queue');
    assert(await page.isVisible('#shortcuts'), 'the shortcut footer is visible');
    await page.screenshot({ path: path.join(opts.out, 'queue.png'), fullPage: true });
  });

  let chosenOpd = '';
  await step('open the first draft, edit nama/alamat/OPD, Simpan persists across a reload', async () => {
    await page.click(`tr.draft-row[data-id="${ids.jalan}"] td.c-msg`);
    await waitHash(`#/draf/${ids.jalan}`);
    await page.waitForSelector('#f-nama:not([disabled])');
    await page.waitForFunction(() => document.querySelector('#post-text').textContent.includes('Karangkandri'));
    await page.fill('#f-nama', 'Budi Santoso');
    await page.fill('#f-alamat', 'Desa Karangkandri RT 03 RW 02, Kesugihan');
    const codes = await page.$$eval('#f-opd option', (os) => os.map((o) => o.value).filter(Boolean));
    assert(codes.length > 0, 'the OPD select lists OPDs from /meta');
    chosenOpd = codes.find((c) => /PU/i.test(c)) || codes[0];
    await page.selectOption('#f-opd', chosenOpd);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/api/v1/drafts/${ids.jalan}` && r.request().method() === 'PATCH'),
      page.click('#btn-save'),
    ]);
    assertEq(resp.status(), 200, `PATCH /drafts/${ids.jalan} ${await resp.text()}`);
    assert(resp.request().headers()['x-csrf-token'], 'the PATCH carries X-CSRF-Token');
    await page.waitForSelector('#flash.flash-ok', { state: 'visible' });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => {
      const el = document.querySelector('#f-nama');
      return el && el.value === 'Budi Santoso';
    });
    assertEq(await page.inputValue('#f-alamat'), 'Desa Karangkandri RT 03 RW 02, Kesugihan', 'alamat after reload');
    assertEq(await page.inputValue('#f-opd'), chosenOpd, 'OPD after reload');
  });

  await step('Konfirmasi & Disposisi confirms it; it leaves the pending queue', async () => {
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/api/v1/drafts/${ids.jalan}/confirm` && r.request().method() === 'POST'),
      page.click('#btn-confirm'),
    ]);
    assertEq(resp.status(), 200, `POST /confirm ${await resp.text()}`);
    // The page moves on to the next pending draft.
    await page.waitForFunction((id) => location.hash !== `#/draf/${id}`, ids.jalan);
    const d = await draftViaSession(ids.jalan);
    assertEq(d.status, 'confirmed', 'status after confirm');
    assertEq(d.opd, chosenOpd, 'OPD kept by confirm');
    const pending = await pendingIdsViaSession();
    assert(!pending.includes(ids.jalan), 'the confirmed draft is not in GET /drafts?status=pending');
    await gotoHash('#/');
    await waitRowCount(3);
    assert(!(await rowIds()).includes(ids.jalan), 'the confirmed draft is not a row any more');
  });

  await step('the confirmed draft shows its audit trail (edit + confirm by admin)', async () => {
    await openDetail(ids.jalan, 'Karangkandri');
    await page.waitForSelector('#audit li');
    const entries = await page.$$eval('#audit li', (lis) => lis.map((li) => ({ action: li.dataset.action, text: li.textContent })));
    const edit = entries.find((e) => /edit|updat|patch|ubah|change/i.test(e.action) && e.text.includes('admin'));
    const confirm = entries.find((e) => /confirm/i.test(e.action) && e.text.includes('admin'));
    assert(edit, `an edit entry by admin in ${JSON.stringify(entries)}`);
    assert(confirm, `a confirm entry by admin in ${JSON.stringify(entries)}`);
    assert(entries.some((e) => e.text.includes('Budi Santoso')), 'the audit shows the new nama');
    assertEq(await page.$$eval('#btn-confirm', (b) => b.length), 0, 'no confirm button on a decided draft');
    assert(await page.isVisible('#decided'), 'the decision is shown');
    await page.screenshot({ path: path.join(opts.out, 'detail.png'), fullPage: true });
  });

  await step('the hostile post is shown as text and runs nothing', async () => {
    await openDetail(ids.hostile, 'Kroya');
    const text = await page.textContent('#post-text');
    assert(text.includes('<script>window.__xss=1</script>'), `the literal script tag in #post-text: ${JSON.stringify(text)}`);
    assert(text.includes('<img src=x onerror='), `the literal img tag in #post-text: ${JSON.stringify(text)}`);
    assertEq(await page.evaluate(() => typeof window.__xss), 'undefined', 'typeof window.__xss');
    assertEq(await page.$$eval('img[src="x"]', (e) => e.length), 0, 'img[src="x"] elements');
    assertEq(await page.$$eval('#view-detail script', (e) => e.length), 0, 'script elements in the detail');
    await page.screenshot({ path: path.join(opts.out, 'hostile.png'), fullPage: true });
  });

  await step('a state change without X-CSRF-Token is refused (403 csrf)', async () => {
    const r = await page.evaluate(async (id) => {
      const d = await (await fetch(`/api/v1/drafts/${id}`)).json();
      const res = await fetch(`/api/v1/drafts/${id}/reject`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ version: d.draft.version, reason: 'x' }),
      });
      let body = null;
      try { body = await res.json(); } catch { /* not JSON */ }
      return { status: res.status, code: body && body.error ? body.error.code : null };
    }, ids.hostile);
    assertEq(r.status, 403, 'status without the CSRF header');
    assertEq(r.code, 'csrf', 'error.code');
    assertEq((await draftViaSession(ids.hostile)).status, 'pending', 'the draft is still pending');
  });

  await step('keyboard: j selects, Enter opens, c confirms the complete draft', async () => {
    await gotoHash('#/');
    await waitRowCount(3);
    await blurActive();
    await page.keyboard.press('j');
    await page.waitForSelector('#queue-body tr.draft-row.selected');
    for (let i = 0; i < 5; i++) {
      const sel = await page.getAttribute('#queue-body tr.draft-row.selected', 'data-id');
      if (Number(sel) === ids.pju) break;
      await page.keyboard.press('k');
    }
    assertEq(Number(await page.getAttribute('#queue-body tr.draft-row.selected', 'data-id')), ids.pju, 'selected row');
    await page.keyboard.press('?');
    await page.waitForSelector('#help', { state: 'visible' });
    await page.keyboard.press('?');
    await page.waitForSelector('#help', { state: 'hidden' });
    await page.keyboard.press('Enter');
    await waitHash(`#/draf/${ids.pju}`);
    await page.waitForFunction(() => document.querySelector('#post-text') && document.querySelector('#btn-confirm'));
    assertEq(await page.inputValue('#f-nama'), 'Siti Aminah', 'nama from the manual entry');
    if (!(await page.inputValue('#f-opd'))) {
      const codes = await page.$$eval('#f-opd option', (os) => os.map((o) => o.value).filter(Boolean));
      await page.focus('#f-opd');
      await page.selectOption('#f-opd', codes.find((c) => /PU|HUB/i.test(c)) || codes[0]);
      await page.keyboard.press('Escape'); // blurs the select
      assertEq(await activeId(), '', 'focus left the select after Escape');
    }
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/api/v1/drafts/${ids.pju}/confirm` && r.request().method() === 'POST'),
      page.keyboard.press('c'),
    ]);
    assertEq(resp.status(), 200, `POST /confirm by the c key ${await resp.text()}`);
    await page.waitForFunction((id) => location.hash !== `#/draf/${id}`, ids.pju);
    assertEq((await draftViaSession(ids.pju)).status, 'confirmed', 'status after c');
  });

  await step('keyboard: Escape goes back to the queue; x on another draft focuses the reject reason', async () => {
    await page.waitForFunction(() => location.hash === '#/' || document.querySelector('#post-text'));
    await blurActive();
    await page.keyboard.press('Escape');
    await waitHash('#/');
    await waitRowCount(2);
    await page.keyboard.press('j');
    await page.waitForSelector('#queue-body tr.draft-row.selected');
    const sel = Number(await page.getAttribute('#queue-body tr.draft-row.selected', 'data-id'));
    assert(sel === ids.sampah || sel === ids.hostile, `a pending row is selected (${sel})`);
    await page.keyboard.press('Enter');
    await waitHash(`#/draf/${sel}`);
    await page.waitForSelector('#reject-reason');
    await page.keyboard.press('x');
    assertEq(await activeId(), 'reject-reason', 'focused element after x');
    await page.keyboard.press('Escape'); // leaves the select
    assertEq(await activeId(), '', 'focus after Escape in the select');
    await page.keyboard.press('Escape'); // back to the queue
    await waitHash('#/');
    assertEq((await draftViaSession(sel)).status, 'pending', 'x alone decides nothing');
  });

  await step('disposition reports show on the confirmed draft: hand-off, steps, SOP timeline', async () => {
    const early = await apiBearer('POST', `/disposisi/${ids.sampah}/status`, { status: 'diterima_opd' });
    assertEq(early.status, 409, `a report for a pending draft ${JSON.stringify(early.data)}`);
    for (const status of ['diterima_opd', 'koordinasi']) {
      const r = await apiBearer('POST', `/disposisi/${ids.jalan}/status`, { status });
      assertEq(r.status, 200, `POST /disposisi/${ids.jalan}/status ${status} ${JSON.stringify(r.data)}`);
    }
    const d = (await apiBearer('GET', `/drafts/${ids.jalan}`)).data;
    assertEq(JSON.stringify(d.disposisi.map((s) => s.step)), '["diterima_opd","koordinasi"]', 'disposisi steps');
    console.log(`  # handoff ${JSON.stringify(d.handoff)}; overdue_stage ${JSON.stringify(d.sop.overdue_stage)}`);
    await openDetail(ids.jalan, 'Karangkandri');
    await page.waitForSelector('#disposisi-card');
    const stages = await page.$$eval('#sop-timeline li', (lis) => lis.map((li) => li.dataset.stage));
    assertEq(JSON.stringify(stages), JSON.stringify(['konfirmasi', 'diterima_opd', 'koordinasi', 'ditindaklanjuti', 'selesai']), 'SOP stages');
    const doneAt = await page.textContent('#sop-timeline li[data-stage="diterima_opd"] .sop-when');
    assert(/selesai .*\d\d:\d\d/.test(doneAt), `a done time for diterima_opd, got ${JSON.stringify(doneAt)}`);
    assertEq(await page.textContent('#sop-timeline li[data-stage="ditindaklanjuti"] .sop-when'), 'belum', 'ditindaklanjuti not done');
    const cardText = await page.textContent('#disposisi-card');
    assert(cardText.includes('Koordinasi'), `#disposisi-card mentions Koordinasi: ${JSON.stringify(cardText)}`);
    assert(/Batas total 2 jam 15 menit: \d\d:\d\d/.test(await page.textContent('#sop-total')), 'the total SOP deadline');
    const ho = await page.textContent('#handoff-status');
    assert(d.handoff ? /menunggu kirim|sedang dikirim|terkirim|gagal kirim/.test(ho) : /belum/.test(ho), `hand-off status ${JSON.stringify(ho)}`);
    await page.screenshot({ path: path.join(opts.out, 'disposisi.png'), fullPage: true });
    // Lateness cannot happen within this run: the browser is given a late SOP clock.
    await page.route(`${base}/api/v1/drafts/${ids.jalan}`, async (route) => {
      const real = await route.fetch();
      const body = await real.json();
      for (const st of body.sop.stages) if (st.stage === 'ditindaklanjuti') st.late = true;
      Object.assign(body.sop, { overdue_stage: 'ditindaklanjuti', total_late: true });
      await route.fulfill({ response: real, json: body });
    });
    try {
      await gotoHash('#/');
      await openDetail(ids.jalan, 'Karangkandri');
      await page.waitForSelector('#sop-timeline li[data-stage="ditindaklanjuti"].sop-overdue .sop-late');
      assertEq(await page.$$eval('#sop-timeline .sop-late', (e) => e.length), 1, 'late marks in the timeline');
      assert((await page.textContent('#sop-total .sop-late')) === 'terlambat', 'the total is marked late');
      await page.screenshot({ path: path.join(opts.out, 'disposisi-late.png'), fullPage: true });
    } finally {
      await page.unrouteAll();
    }
  });

  await step('an Admin OPD returns a confirmed draft: pending again, badge in the queue, reason in the detail', async () => {
    const seeded = await apiBearer('POST', '/drafts', {
      text: 'Saluran air di Jalan Sudirman Desa Kalisabuk Kecamatan Kesugihan tersumbat dan meluap', kanal: 'x',
      nama: 'Rahmat Hidayat', alamat: 'Jl. Sudirman 5, Kalisabuk, Kesugihan',
    });
    assertEq(seeded.status, 201, `POST /drafts ${JSON.stringify(seeded.data)}`);
    ids.saluran = seeded.data.draft.id;
    let dr = seeded.data.draft;
    if (!dr.opd || (dr.missing_fields || []).length) {
      const p = await apiBearer('PATCH', `/drafts/${ids.saluran}`, { version: dr.version, opd: chosenOpd });
      assertEq(p.status, 200, `PATCH opd ${JSON.stringify(p.data)}`);
      dr = p.data.draft;
    }
    const c = await apiBearer('POST', `/drafts/${ids.saluran}/confirm`, { version: dr.version });
    assertEq(c.status, 200, `POST /confirm with the bearer token ${JSON.stringify(c.data)}`);
    const reason = 'Bukan kewenangan DPUPR, mohon ke DLH';
    const noNote = await apiBearer('POST', `/disposisi/${ids.saluran}/status`, { status: 'dikembalikan_opd' });
    assertEq(noNote.status, 422, `dikembalikan_opd without a note ${JSON.stringify(noNote.data)}`);
    const r = await apiBearer('POST', `/disposisi/${ids.saluran}/status`, { status: 'dikembalikan_opd', note: reason });
    assertEq(r.status, 200, `POST dikembalikan_opd ${JSON.stringify(r.data)}`);
    assertEq(r.data.draft.status, 'pending', 'status after the OPD returned it');
    assertEq(r.data.draft.returned_by_opd, true, 'returned_by_opd');
    assertEq(r.data.draft.decision_reason, reason, 'decision_reason');
    console.log(`  # after dikembalikan_opd: handoff ${JSON.stringify(r.data.handoff)}; sla_due ${r.data.draft.sla_due}`);
    await gotoHash('#/');
    await page.waitForSelector(`tr.draft-row[data-id="${ids.saluran}"] .badge-returned`);
    await page.screenshot({ path: path.join(opts.out, 'queue-returned.png'), fullPage: true });
    assertEq(await page.textContent(`tr.draft-row[data-id="${ids.saluran}"] .badge-returned`), 'Dikembalikan OPD', 'badge text');
    assertEq(await page.$$eval('#queue-body .badge-returned', (b) => b.length), 1, 'returned badges in the queue');
    await openDetail(ids.saluran, 'Kalisabuk');
    const notice = await page.textContent('#opd-returned');
    assert(notice.includes(reason), `the OPD's reason in the notice: ${JSON.stringify(notice)}`);
    assert(await page.isVisible('#btn-confirm'), 'the returned draft can be confirmed again');
    assertEq(await page.$eval('#view-detail', (v) => Array.from(v.childNodes).filter((n) => n.nodeType === 3).length), 0, 'stray text nodes');
    assert((await page.textContent('#disposisi-steps')).includes(reason), 'the return is in the reports');
    await page.waitForSelector('#sop-timeline li[data-stage="konfirmasi"]');
    assertEq(await page.textContent('#sop-timeline li[data-stage="konfirmasi"] .sop-when'), 'belum', 'konfirmasi restarts');
    await page.screenshot({ path: path.join(opts.out, 'returned.png'), fullPage: true });
  });

  await step('the "Gagal kirim" page shows the outbox counters and its dead letters', async () => {
    const r = await page.request.get(`${base}/api/v1/outbox`, { timeout: WAIT_MS });
    const body = await r.text();
    console.log(`  # GET /api/v1/outbox -> ${r.status()} ${body}`);
    const bogus = await apiBearer('POST', '/outbox/999999/resend', {});
    assertEq(bogus.status, 404, `resending an unknown dead letter ${JSON.stringify(bogus.data)}`);
    await page.click('.mainnav a[data-route="outbox"]');
    await waitHash('#/gagal-kirim');
    if (r.status() === 404) {
      await page.waitForSelector('#outbox-missing');
      assertEq(await page.textContent('#outbox-missing'), 'Hand-off belum dikonfigurasi.', 'the 404 message');
    } else {
      assertEq(r.status(), 200, 'GET /outbox');
      const data = JSON.parse(body);
      await page.waitForSelector('#outbox-counters');
      assertEq(await page.textContent('#ob-backlog'), String(data.backlog), 'antre kirim');
      assertEq(await page.textContent('#ob-dead'), String(data.dead), 'gagal');
      assertEq(await page.textContent('#ob-delivered'), String(data.delivered), 'terkirim');
      if (data.items.length === 0) {
        assertEq(await page.textContent('#outbox-empty'), 'Tidak ada kiriman yang gagal.', 'the empty message');
        assert(!(await page.isVisible('#stat-gagal')), 'no "gagal kirim" counter in the header');
      } else {
        assertEq(await page.$$eval('#outbox-table tr.outbox-row', (rs) => rs.length), data.items.length, 'dead letter rows');
        assertEq(await page.$$eval('#outbox-table .btn-resend', (bs) => bs.length), data.items.length, 'Kirim ulang buttons');
      }
    }
    assert(await page.$eval('.mainnav a[data-route="outbox"]', (a) => a.classList.contains('active')), 'the nav entry is active');
    await page.screenshot({ path: path.join(opts.out, 'gagal-kirim.png'), fullPage: true });
  });

  await step('with a (simulated) dead letter: header counter, table, Kirim ulang reloads the list', async () => {
    // No hand-off sink in this daemon, so nothing can die: the browser is given a dead letter.
    let dead = [{
      id: 7, draft_id: ids.jalan, status: 'dead', attempts: 8, last_error: 'HTTP 502 <b>Bad Gateway</b>', ticket: null,
      created: new Date().toISOString(), next_attempt: new Date().toISOString(), delivered_at: null,
    }];
    const resent = [];
    await page.route(/\/api\/v1\/outbox(\?.*)?$/, (route) => route.fulfill({
      status: 200, contentType: 'application/json',
      body: JSON.stringify({ backlog: 3 + resent.length, dead: dead.length, delivered: 0, items: dead }),
    }));
    await page.route(/\/api\/v1\/outbox\/\d+\/resend$/, (route) => {
      resent.push({ url: route.request().url(), csrf: route.request().headers()['x-csrf-token'] || '' });
      dead = [];
      return route.fulfill({ status: 200, contentType: 'application/json', body: '{"resent":true}' });
    });
    try {
      await gotoHash('#/');
      await gotoHash('#/gagal-kirim');
      await page.waitForSelector('#outbox-table tr.outbox-row[data-id="7"]');
      await page.waitForSelector('#stat-gagal', { state: 'visible' });
      assertEq(await page.textContent('#stat-gagal'), '1', 'the header counter');
      assertEq(await page.textContent('#outbox-table tr.outbox-row td:nth-child(4)'), 'HTTP 502 <b>Bad Gateway</b>', 'the error as text');
      assertEq(await page.getAttribute('#outbox-table tr.outbox-row td:nth-child(2) a', 'href'), `#/draf/${ids.jalan}`, 'draft link');
      await page.screenshot({ path: path.join(opts.out, 'gagal-kirim-dead.png'), fullPage: true });
      await page.click('.btn-resend[data-id="7"]');
      await page.waitForSelector('#outbox-empty');
      await page.waitForSelector('#flash.flash-ok', { state: 'visible' });
      assertEq(resent.length, 1, 'one resend request');
      assert(resent[0].url.endsWith('/api/v1/outbox/7/resend') && resent[0].csrf, `resend POST with CSRF ${JSON.stringify(resent)}`);
      await page.waitForSelector('#stat-gagal', { state: 'hidden' });
    } finally {
      await page.unrouteAll();
    }
  });

  await step('a viewer sees no actions and cannot PATCH (403)', async () => {
    const [del] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/api/v1/session` && r.request().method() === 'DELETE'),
      page.click('#btn-logout'),
    ]);
    assertEq(del.status(), 204, 'DELETE /session');
    await page.waitForSelector('#login-form', { state: 'visible' });
    const r = await login('pengamat', VIEWER_PASSWORD);
    assertEq(r.status(), 200, 'POST /session as pengamat');
    await page.waitForFunction(() => document.querySelector('#user-name').textContent === 'pengamat');
    await openDetail(ids.hostile, 'Kroya');
    assertEq(await page.$$eval('#btn-confirm:not([disabled])', (e) => e.length), 0, 'enabled confirm buttons');
    assertEq(await page.$$eval('#btn-save, #btn-reject, #btn-return, #btn-duplicate', (e) => e.length), 0, 'action buttons');
    assert(await page.isDisabled('#f-nama'), 'the form is read-only');
    const res = await page.evaluate(async (id) => {
      const s = await (await fetch('/api/v1/session')).json();
      const d = await (await fetch(`/api/v1/drafts/${id}`)).json();
      const p = await fetch(`/api/v1/drafts/${id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token || '' },
        body: JSON.stringify({ version: d.draft.version, nama: 'Pengamat' }),
      });
      let body = null;
      try { body = await p.json(); } catch { /* not JSON */ }
      return { token: !!s.csrf_token, status: p.status, code: body && body.error ? body.error.code : null };
    }, ids.hostile);
    assert(res.token, 'GET /session gives the viewer a csrf_token');
    assertEq(res.status, 403, 'PATCH as viewer');
    assert(res.code !== 'csrf', `refused for the role, not for CSRF (code ${res.code})`);
    assertEq((await draftViaSession(ids.hostile)).nama, null, 'nama unchanged');
  });

  await step('Rekap: a viewer opens the tab; SVG bars per OPD and per day, figures as the API says, CSV download, another month', async () => {
    const api = await page.evaluate(async () => (await fetch('/api/v1/rekap')).json());
    assert(api && api.totals && api.totals.total >= 4, `this month's recap counts the seeded drafts: ${JSON.stringify(api && api.totals)}`);
    assert(api.by_opd.some((r) => r.key !== null), `an OPD in ${JSON.stringify(api.by_opd)}`);
    await page.click('.mainnav a[data-route="rekap"]');
    await waitHash('#/rekap');
    await page.waitForSelector('#rekap-chart-opd rect.chart-bar');
    await page.waitForSelector('#rekap-chart-daily rect.chart-day', { state: 'attached' });  // a day without complaints is 0 px high
    assertEq(await page.$$eval('#rekap-chart-opd rect.chart-bar', (e) => e.length), Math.min(15, api.by_opd.length), 'one bar per OPD');
    assertEq(await page.$$eval('#rekap-chart-daily rect.chart-day', (e) => e.length), api.daily.length, 'one bar per WIB day');
    assertEq(await page.$$eval('#rekap-chart-opd, #rekap-chart-daily', (e) => e.every((x) => x.namespaceURI === 'http://www.w3.org/2000/svg')), true, 'charts are SVG');
    assertEq(await page.textContent('#rekap-figures .rekap-figure:first-child .rekap-figure-value'), String(api.totals.total), 'total shown');
    assertEq(await page.inputValue('#rekap-month'), api.month, 'the picker shows the current month');
    assertEq(await page.$$eval('#rekap-harian tbody tr', (e) => e.length), api.daily.length, 'daily table rows');
    assertEq(await page.$$eval('#rekap-sla tbody tr', (e) => e.length), 6, 'SLA rows: five SOP steps and the whole');
    await page.screenshot({ path: path.join(opts.out, 'rekap.png'), fullPage: true });
    const csv = await page.evaluate(async (m) => {
      const r = await fetch(document.querySelector('#rekap-csv').getAttribute('href'));
      return { status: r.status, type: r.headers.get('content-type'), disp: r.headers.get('content-disposition'), text: await r.text(), m };
    }, api.month);
    assertEq(csv.status, 200, 'GET rekap.csv');
    assertEq(csv.disp, `attachment; filename="rekap-${api.month}.csv"`, 'download name');
    assert(csv.text.startsWith('Ringkasan\r\nUkuran,Nilai\r\n'), `CSV head: ${JSON.stringify(csv.text.slice(0, 60))}`);
    await page.$eval('#rekap-month', (el) => { el.value = '2020-01'; el.dispatchEvent(new Event('change', { bubbles: true })); });
    await page.waitForFunction(() => (document.querySelector('.rekap-title') || {}).textContent === 'Rekap Bulanan Aduan Januari 2020');
    assertEq(await page.textContent('#rekap-figures .rekap-figure:first-child .rekap-figure-value'), '0', 'an empty month');
    assertEq(await page.$$eval('#rekap-chart-daily rect.chart-day', (e) => e.length), 31, 'January has 31 days');
  });

  await step('six wrong passwords: the login form shows the rate-limit message (429)', async () => {
    await page.click('#btn-logout');
    await page.waitForSelector('#login-form', { state: 'visible' });
    const statuses = [];
    let limited = null;
    for (let i = 1; i <= 6 && !limited; i++) {
      const resp = await login('admin', 'salah-sandi-' + i);
      statuses.push(resp.status());
      const body = await resp.json().catch(() => null);
      const message = body && body.error ? body.error.message : '';
      await page.waitForFunction((m) => {
        const el = document.querySelector('#login-error');
        return el && !el.hidden && el.textContent === m;
      }, message);
      if (resp.status() === 429) limited = { attempt: i, message };
      else assertEq(resp.status(), 401, `attempt ${i}`);
    }
    assert(limited, `a 429 within 6 attempts, got ${statuses.join(', ')}`);
    assert(limited.message.length > 0, 'the 429 carries a message');
    assert(await page.isVisible('#login-form'), 'still on the login form');
    console.log(`  # 429 on attempt ${limited.attempt}: ${limited.message}`);
  });

  await step('no CSP violations and no uncaught page errors', async () => {
    assert(cspViolations.length === 0, `CSP violations:\n${cspViolations.join('\n')}`);
    assert(pageErrors.length === 0, `page errors:\n${pageErrors.join('\n')}`);
  });

  console.log(`# run took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function cleanup() {
  if (context) {
    try { await context.close(); } catch { /* already closed */ }
  }
  await stopDaemon();
  if (!failed) {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(profileDir, { recursive: true, force: true });
  } else {
    console.log(`# kept ${tmp} (config, database, sambatd.log) for inspection`);
    console.log(`# sambatd.log (tail):\n${logTail().split('\n').map((l) => '#   ' + l).join('\n')}`);
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

let code = 1;
try {
  await main();
} catch (e) {
  failed = true;
  console.log(`not ok - unexpected error: ${(e && e.stack) || e}`);
} finally {
  await cleanup();
  const passed = steps.filter((s) => s.ok).length;
  const skipped = steps.filter((s) => s.skipped).length;
  console.log(`# ${passed}/${steps.length} steps passed` + (skipped ? `, ${skipped} skipped` : '') +
    `; screenshots in ${opts.out}`);
  code = failed ? 1 : 0;
  clearTimeout(watchdog);
}
process.exit(code);
