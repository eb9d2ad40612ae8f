#!/usr/bin/env node
// Browser test of the Balasan (replies) page: a real sambatd in review mode polls the fake
// platform server (the program, with the demo feed); a draft is returned for missing data,
// the "permintaan kelengkapan data" reply waits for Admin Utama, who edits it in Chromium
// (personal data refused), approves it, and the fake X receives it exactly once.
//
//   node replies_test.mjs --sambatd PATH --fake-platform PATH --feed FEED.jsonl --rules DIR --out DIR

import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const WAIT_MS = 15_000;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const opts = {};
for (let i = 2; i < process.argv.length; i += 2) {
  const m = /^--(sambatd|fake-platform|feed|rules|out)$/.exec(process.argv[i]);
  if (!m || process.argv[i + 1] === undefined) {
    console.error('usage: node replies_test.mjs --sambatd PATH --fake-platform PATH --feed FILE --rules DIR --out DIR');
    process.exit(2);
  }
  opts[m[1]] = path.resolve(process.argv[i + 1]);
}
fs.mkdirSync(opts.out, { recursive: true });

let failed = false;
let page = null;
async function step(name, fn) {
  if (failed) { console.log(`not ok - ${name} # skipped`); return; }
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok - ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed = true;
    console.log(`not ok - ${name}`);
    for (const line of String((e && e.stack) || e).split('\n').slice(0, 10)) console.log(`  # ${line}`);
    if (page) await page.screenshot({ path: path.join(opts.out, 'replies-failure.png'), fullPage: true }).catch(() => {});
  }
}
const assert = (cond, msg) => { if (!cond) throw new Error(`assertion failed: ${msg}`); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sambatd-replies-'));
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sambatd-chromium-'));
const cfg = path.join(tmp, 'sambatd.yaml');
const procs = [];
let base = '', fakeBase = '', token = '', context = null;
const cspViolations = [], pageErrors = [];

function start(cmd, args, logName) {
  const log = fs.openSync(path.join(tmp, logName), 'a');
  const p = spawn(cmd, args, { cwd: tmp, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  procs.push(p);
  return p;
}

function cli(...args) {
  return execFileSync(opts.sambatd, ['--config', cfg, ...args], { cwd: tmp, encoding: 'utf8', timeout: 30_000 });
}

async function until(what, fn) {
  const deadline = Date.now() + WAIT_MS;
  let last;
  while (Date.now() < deadline) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e.message; }
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

async function apiBearer(method, p, body) {
  const r = await fetch(base + '/api/v1' + p, {
    method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(WAIT_MS),
  });
  return { status: r.status, data: await r.json().catch(() => null) };
}

const fakeWrites = async () => (await fetch(fakeBase + '/_fake/writes')).json();

async function main() {
  await step('the fake platform and sambatd (replies.mode: review) start', async () => {
    const fakePort = await freePort();
    fakeBase = `http://127.0.0.1:${fakePort}`;
    start(opts['fake-platform'], [opts.feed, String(fakePort), '50'], 'fake.log');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    fs.writeFileSync(path.join(tmp, 'x.token'), 'AAAAAAAAAAAAAAAAAAAAAAppOnlyBearer\n', { mode: 0o600 });
    fs.writeFileSync(path.join(tmp, 'x-user.token'), 'user-context-token\n', { mode: 0o600 });
    fs.writeFileSync(cfg, [
      'database: sambatd.db', `rules: ${opts.rules}`, `http: {listen: '127.0.0.1:${port}'}`, 'log: {level: info}',
      'sources:',
      `  x: {enabled: true, base_url: '${fakeBase}', user_id: '1234567890', bearer_token_file: x.token,`,
      '      reply_token_file: x-user.token, poll_interval: 1s}',
      'replies: {mode: review}', '',
    ].join('\n'));
    fs.writeFileSync(path.join(tmp, 'admin.pw'), 'rahasia-admin-2024\n', { mode: 0o600 });
    cli('user', 'add', 'admin', '--role', 'admin_utama', '--password-file', path.join(tmp, 'admin.pw'));
    token = cli('token', 'create', 'seeder', '--role', 'admin_utama').trim().split('\n').pop().trim();
    start(opts.sambatd, ['--config', cfg, 'run'], 'sambatd.log');
    await until('GET /healthz', async () => (await fetch(base + '/healthz')).status === 200);
  });

  let draft = null;
  await step('a complaint from X is returned to the citizen for missing data', async () => {
    draft = await until('a pending X draft', async () => {
      const r = await apiBearer('GET', '/drafts?status=pending&kanal=x&limit=1');
      return r.data && r.data.drafts && r.data.drafts[0];
    });
    const r = await apiBearer('POST', `/drafts/${draft.id}/return`,
      { version: draft.version, reason: 'Data belum lengkap: nama dan alamat pelapor' });
    assert(r.status === 200, `return ${r.status} ${JSON.stringify(r.data)}`);
  });

  await step('chromium opens Balasan; the reply waits for approval with the SOP contacts', async () => {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
      viewport: { width: 1366, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', timeout: WAIT_MS,
    });
    page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(base + '/', { waitUntil: 'domcontentloaded' });
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', 'rahasia-admin-2024');
    await page.click('#login-submit');
    await page.waitForSelector('#app:not([hidden])');
    await page.evaluate(() => { location.hash = '#/balasan'; });
    await page.waitForSelector(`.reply-card[data-id] textarea.reply-text`);
    const text = await page.inputValue('.reply-card textarea.reply-text');
    assert(text.includes('085290082800') && text.includes('laporbup.cilacapkab.go.id'), `contacts in ${text}`);
    assert(text.includes('alamat'), `the missing field named in ${text}`);
    await until('the nav badge', async () => (await page.textContent('#replies-badge')) === '1');
    assert((await page.textContent('#replies-mode')).includes('Mode tinjau'), 'the mode is shown');
    await page.screenshot({ path: path.join(opts.out, 'replies-review.png'), fullPage: true });
  });

  await step('an edit with a phone number is refused with the reason; nothing is posted', async () => {
    await page.fill('.reply-card textarea.reply-text', 'Hubungi saya di 0812 2733 4455 ya');
    await page.click('.reply-card .btn-approve');
    await page.waitForFunction(() => {
      const f = document.querySelector('#flash');
      return f && !f.hidden && /nomor telepon/.test(f.textContent);
    });
    assert((await fakeWrites()).length === 0, 'nothing posted');
  });

  await step('the edited reply is approved and the fake X receives it once', async () => {
    const edited = 'Mohon lengkapi nama dan alamat lewat WhatsApp 085290082800 atau laporbup.cilacapkab.go.id. Terima kasih.';
    await page.fill('.reply-card textarea.reply-text', edited);
    await page.click('.reply-card .btn-approve');
    const writes = await until('the reply on X', async () => { const w = await fakeWrites(); return w.length ? w : null; });
    assert(writes.length === 1 && writes[0].kind === 'x_reply' && writes[0].text === edited, JSON.stringify(writes));
    await page.selectOption('#replies-status', 'delivered');
    await page.waitForSelector('.reply-card .reply-text-static');
    assert((await page.textContent('.reply-card')).includes(writes[0].id), 'the platform id is shown');
    await sleep(6000);  // more planner passes: still exactly one
    assert((await fakeWrites()).length === 1, 'posted once');
    // The draft's page shows what the citizen was told.
    await page.evaluate((id) => { location.hash = '#/draf/' + id; }, draft.id);
    await page.waitForSelector('#detail-replies li');
    assert((await page.textContent('#detail-replies')).includes(edited), 'the reply on the draft page');
    await page.screenshot({ path: path.join(opts.out, 'replies-delivered.png'), fullPage: true });
  });

  await step('no CSP violations and no page errors', async () => {
    assert(cspViolations.length === 0, cspViolations.join('\n'));
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
}

let code = 1;
const watchdog = setTimeout(() => { console.log('not ok - watchdog'); for (const p of procs) p.kill('SIGKILL'); process.exit(1); }, 120_000);
try {
  await main();
  code = failed ? 1 : 0;
} catch (e) {
  console.log(`not ok - ${(e && e.stack) || e}`);
} finally {
  if (context) await context.close().catch(() => {});
  for (const p of procs) p.kill('SIGTERM');
  await sleep(300);
  if (code === 0) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`# kept ${tmp} for inspection`);
  fs.rmSync(profileDir, { recursive: true, force: true });
  clearTimeout(watchdog);
}
process.exit(code);
