// sambatd — the Admin Utama queue (browser side).
//
// One page, hash routing: #/ queue, #/draf/ID detail, #/baru manual entry, #/kualitas rule
// quality, #/gagal-kirim the hand-off's dead letters, #/sumber sources' health, #/rekap the monthly recap (rekap.js). Talks only to /api/v1 (same origin, cookie session, CSRF
// token in memory, sent as X-CSRF-Token on every state-changing request).
//
// Security contract: posts are hostile input. Data is only ever put into the page with
// textContent / text nodes (never innerHTML and friends); links are rendered only for http(s)
// URLs, images only for https URLs. No inline styles or handlers (the CSP forbids them): state
// is shown by toggling classes and the `hidden` property.
'use strict';

(() => {
  const API = '/api/v1';
  const POLL_MS = 5000;
  const SLA_WARN_MS = 5 * 60 * 1000;
  const PAGE_LIMIT = 50;
  const SEARCH_DEBOUNCE_MS = 300;

  const STATUS_LABEL = {
    pending: 'menunggu', confirmed: 'dikonfirmasi', returned: 'dikembalikan',
    rejected: 'ditolak', duplicate: 'duplikat', all: 'semua',
  };
  const STATUS_FILTERS = ['pending', 'confirmed', 'returned', 'rejected', 'duplicate', 'all'];
  const KANAL_LABEL = { x: 'X', facebook: 'Facebook', instagram: 'Instagram', manual: 'Manual' };
  const DEFAULT_KANAL = ['x', 'facebook', 'instagram', 'manual'];
  const ROLE_LABEL = { admin_utama: 'Admin Utama', viewer: 'Pengamat', pipeline: 'Pipeline' };
  const SOURCE_STATE = {
    ok: { label: 'normal', cls: 'state-ok' },
    paused: { label: 'dijeda', cls: 'state-paused' },
    error: { label: 'galat', cls: 'state-error' },
    never: { label: 'belum pernah', cls: 'state-never' },
  };
  const FIELD_LABEL = {
    nama: 'nama', alamat: 'alamat', pesan: 'pesan', opd: 'OPD', kategori: 'kategori',
    kecamatan: 'kecamatan', desa: 'desa', status: 'status', version: 'versi',
    decision_reason: 'alasan', duplicate_of: 'duplikat dari', duplikat_dari: 'duplikat dari', url: 'tautan', kanal: 'kanal',
  };
  // Audit action codes the server may use; unknown codes are shown as they are.
  const ACTION_LABEL = {
    create: 'dibuat', created: 'dibuat', draft_created: 'dibuat', manual: 'entri manual', manual_entry: 'entri manual',
    edit: 'diubah', edited: 'diubah', update: 'diubah', updated: 'diubah', patch: 'diubah',
    confirm: 'dikonfirmasi', confirmed: 'dikonfirmasi',
    return: 'dikembalikan ke pemohon', returned: 'dikembalikan ke pemohon',
    reject: 'ditolak', rejected: 'ditolak',
    duplicate: 'ditandai duplikat', duplicated: 'ditandai duplikat',
    handoff_delivered: 'terkirim ke OPD', handoff_dead: 'gagal kirim', handoff_resend: 'kirim ulang',
    disposisi_diterima_opd: 'diterima OPD', disposisi_dikembalikan_opd: 'dikembalikan OPD',
    disposisi_koordinasi: 'koordinasi', disposisi_ditindaklanjuti: 'ditindaklanjuti', disposisi_selesai: 'selesai',
  };
  // The disposition pipeline's reports, and the SOP's stages (in order).
  const DISPOSISI_LABEL = {
    diterima_opd: 'Diterima OPD', dikembalikan_opd: 'Dikembalikan OPD', koordinasi: 'Koordinasi',
    ditindaklanjuti: 'Ditindaklanjuti', selesai: 'Selesai',
  };
  const DISPOSISI_NOTE = { dikembalikan_opd: 'alasan', selesai: 'tanggapan' };
  const SOP_STAGE_LABEL = {
    konfirmasi: 'Konfirmasi Admin Utama', diterima_opd: 'Diterima Admin OPD', koordinasi: 'Koordinasi Pejabat Penghubung',
    ditindaklanjuti: 'Tindak lanjut Kepala OPD', selesai: 'Selesai',
  };
  const FORM_FIELDS = ['nama', 'alamat', 'pesan', 'opd', 'kategori', 'kecamatan', 'desa'];

  const state = {
    user: null,
    csrf: null,
    meta: null,
    stats: null,
    clockOffset: 0,          // server time minus browser time, from stats.now
    online: true,
    route: { name: 'none' },
    pollTimer: null,
    tickTimer: null,
    flashTimer: null,
    detailSeq: 0,
    detail: null,            // { id, data, busy }
    outbox: null,            // { missing: bool, data: GET /outbox answer }
    outboxShown: '',         // what #view-outbox shows now (to skip identical re-renders)
    replies: { status: 'review', data: null, missing: false, shown: '', edits: {} },  // GET /replies; unsent edits by id
    views: { built: false },
    queue: null,
  };

  function freshQueue() {
    return {
      filters: { status: 'pending', kanal: '', opd: '', kecamatan: '', q: '' },
      first: [], extra: [], items: [], nextCursor: null, selectedId: null,
      loaded: false, gen: 0, scrollY: 0, knownIds: null, searchTimer: null,
    };
  }
  state.queue = freshQueue();

  // ---------------------------------------------------------------- small helpers

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  const PROPS = new Set(['value', 'disabled', 'hidden', 'selected', 'checked', 'required', 'readOnly', 'multiple']);

  // Creates an element. props: class, text, dataset, on<event> (listener functions only),
  // DOM properties from PROPS, anything else as an attribute (never `style` or `on*` strings).
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'style' || k.startsWith('on')) throw new Error('forbidden attribute ' + k);
        else if (PROPS.has(k)) el[k] = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    appendChildren(el, children);
    return el;
  }

  function appendChildren(el, children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) appendChildren(el, c);
      else if (c instanceof Node) el.appendChild(c);
      else el.appendChild(document.createTextNode(String(c)));
    }
  }

  const pad = (n) => String(n).padStart(2, '0');

  // ISO-8601 (UTC) → epoch ms; a string without a zone is taken as UTC.
  function parseTime(s) {
    if (typeof s !== 'string' || !s) return NaN;
    let t = s.trim();
    if (!/(?:[zZ]|[+-]\d\d:?\d\d)$/.test(t)) t = t.replace(' ', 'T') + 'Z';
    return Date.parse(t);
  }

  // dd-mm-yyyy HH:MM in the browser's local time.
  function fmtTime(s) {
    const ms = parseTime(s);
    if (!Number.isFinite(ms)) return '-';
    const d = new Date(ms);
    return `${pad(d.getDate())}-${pad(d.getMonth() + 1)}-${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  // HH:MM when the time is today (local), else the full date too; the full date as title.
  function clockEl(s, cls) {
    const ms = parseTime(s);
    if (!Number.isFinite(ms)) return h('span', { class: cls }, '-');
    const d = new Date(ms);
    const today = new Date().toDateString() === d.toDateString();
    return h('time', { class: cls, datetime: d.toISOString(), title: fmtTime(s) },
      today ? `${pad(d.getHours())}:${pad(d.getMinutes())}` : fmtTime(s));
  }

  // "2 jam 15 menit"
  function fmtSpan(ms) {
    const m = Math.round(ms / 60000);
    const parts = [];
    if (m >= 60) parts.push(Math.floor(m / 60) + ' jam');
    if (m % 60 || !parts.length) parts.push((m % 60) + ' menit');
    return parts.join(' ');
  }

  function fmtDur(ms) {
    const s = Math.floor(ms / 1000);
    const hh = Math.floor(s / 3600);
    const mm = Math.floor((s % 3600) / 60);
    const ss = s % 60;
    return hh > 0 ? `${hh}:${pad(mm)}:${pad(ss)}` : `${pad(mm)}:${pad(ss)}`;
  }

  function fmtNum(n) {
    if (typeof n !== 'number' || !Number.isFinite(n)) return '-';
    return Number.isInteger(n) ? String(n) : n.toFixed(2);
  }

  const serverNow = () => Date.now() + state.clockOffset;

  function slaInfo(due) {
    const ms = parseTime(due);
    if (!Number.isFinite(ms)) return { text: '-', cls: '' };
    const left = ms - serverNow();
    if (left < 0) return { text: 'lewat ' + fmtDur(-left), cls: 'sla-over' };
    return { text: fmtDur(left), cls: left < SLA_WARN_MS ? 'sla-warn' : 'sla-ok' };
  }

  // A span that the one-second ticker keeps up to date.
  function slaSpan(due, extraClass) {
    const el = h('span', { class: 'sla' + (extraClass ? ' ' + extraClass : ''), dataset: { slaDue: due || '' } });
    updateSla(el);
    return el;
  }

  function updateSla(el) {
    const info = slaInfo(el.dataset.slaDue);
    if (el.textContent !== info.text) el.textContent = info.text;
    el.classList.toggle('sla-ok', info.cls === 'sla-ok');
    el.classList.toggle('sla-warn', info.cls === 'sla-warn');
    el.classList.toggle('sla-over', info.cls === 'sla-over');
    el.title = 'Batas SLA: ' + fmtTime(el.dataset.slaDue);
  }

  function tick() {
    for (const el of $$('[data-sla-due]')) updateSla(el);
  }

  function safeLink(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
  }

  function safeImage(url) {
    return typeof url === 'string' && /^https:\/\//i.test(url) ? url : null;
  }

  function extLink(url, text, cls) {
    const u = safeLink(url);
    if (!u) return null;
    return h('a', { href: u, rel: 'noopener noreferrer', target: '_blank', referrerpolicy: 'no-referrer', class: cls }, text);
  }

  function opdName(code) {
    if (!code || !state.meta) return null;
    const o = (state.meta.opd || []).find((x) => x.code === code);
    return o ? o.name : null;
  }

  function opdLabel(code) {
    const name = opdName(code);
    return name ? `${code} — ${name}` : String(code);
  }

  function kanalBadge(kanal) {
    const k = String(kanal || '');
    return h('span', { class: 'kanal kanal-' + (KANAL_LABEL[k] ? k : 'other') }, KANAL_LABEL[k] || k || '-');
  }

  function statusBadge(status) {
    return h('span', { class: 'status status-' + String(status || '') }, STATUS_LABEL[status] || String(status || '-'));
  }

  function missingText(fields) {
    if (!Array.isArray(fields) || fields.length === 0) return 'lengkap';
    return 'kurang: ' + fields.map((f) => FIELD_LABEL[f] || f).join(', ');
  }

  function lokasiText(desa, kecamatan) {
    return [desa, kecamatan].filter((x) => typeof x === 'string' && x).join(', ') || '-';
  }

  const isAdmin = () => !!state.user && state.user.role === 'admin_utama';

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  // Calls the API. Resolves { status, data } for 2xx; rejects with ApiError otherwise (the
  // message is the server's error.message). A 401 sends the user back to the login form
  // unless opts.allow401.
  async function api(method, path, body, opts) {
    const o = opts || {};
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    let res;
    try {
      res = await fetch(API + path, {
        method, headers, credentials: 'same-origin', cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, 'network', 'Tidak dapat menghubungi server. Periksa koneksi lalu coba lagi.');
    }
    let data = null;
    if (res.status !== 204) {
      const text = await res.text().catch(() => '');
      if (text) {
        try { data = JSON.parse(text); } catch (e) { data = null; }
      }
    }
    if (!res.ok) {
      const err = data && typeof data.error === 'object' && data.error ? data.error : {};
      const message = typeof err.message === 'string' && err.message ? err.message : `Galat server (HTTP ${res.status}).`;
      const code = typeof err.code === 'string' ? err.code : 'http_' + res.status;
      if (res.status === 401 && !o.allow401) onUnauthorized();
      throw new ApiError(res.status, code, message);
    }
    return { status: res.status, data };
  }

  function queryString(params) {
    const parts = [];
    for (const [k, v] of Object.entries(params)) {
      if (v === null || v === undefined || v === '') continue;
      parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(v));
    }
    return parts.join('&');
  }

  // ---------------------------------------------------------------- flash messages

  function flash(message, kind) {
    const box = $('#flash');
    if (!box) return;
    const k = kind || 'error';
    $('#flash-text').textContent = message;
    box.classList.toggle('flash-error', k === 'error');
    box.classList.toggle('flash-ok', k === 'ok');
    box.classList.toggle('flash-info', k === 'info');
    box.hidden = false;
    clearTimeout(state.flashTimer);
    if (k !== 'error') state.flashTimer = setTimeout(hideFlash, 5000);
  }

  function hideFlash() {
    clearTimeout(state.flashTimer);
    const box = $('#flash');
    if (box) box.hidden = true;
  }

  // Shows an API error unless it sent the user back to the login form.
  function reportError(e) {
    if (e && e.status === 401) return;
    flash(e && e.message ? e.message : 'Terjadi galat yang tidak terduga.', 'error');
  }

  // ---------------------------------------------------------------- session

  function showLogin(message) {
    stopPolling();
    $('#app').hidden = true;
    $('#login').hidden = false;
    const err = $('#login-error');
    err.textContent = message || '';
    err.hidden = !message;
    const submit = $('#login-submit');
    submit.disabled = false;
    const user = $('#login-username');
    (user.value ? $('#login-password') : user).focus();
  }

  function resetAppState() {
    state.user = null;
    state.csrf = null;
    state.meta = null;
    state.stats = null;
    state.detail = null;
    state.outbox = null;
    state.outboxShown = '';
    state.replies = { status: 'review', data: null, missing: false, shown: '', edits: {} };
    state.detailSeq++;
    state.route = { name: 'none' };
    state.queue = freshQueue();
    state.views.built = false;
    for (const v of $$('#main > .view')) { v.replaceChildren(); v.hidden = true; }
    hideFlash();
    const help = $('#help');
    if (help) help.hidden = true;
    const gagal = $('#stat-gagal-box');
    if (gagal) gagal.hidden = true;
  }

  function onUnauthorized() {
    if (!state.user && !$('#login').hidden) return;
    resetAppState();
    showLogin('Sesi Anda berakhir. Silakan masuk lagi.');
  }

  async function submitLogin(ev) {
    ev.preventDefault();
    const username = $('#login-username').value.trim();
    const password = $('#login-password').value;
    const err = $('#login-error');
    if (!username || !password) {
      err.textContent = 'Isi nama pengguna dan kata sandi.';
      err.hidden = false;
      return;
    }
    const submit = $('#login-submit');
    submit.disabled = true;
    try {
      const { data } = await api('POST', '/session', { username, password }, { allow401: true });
      $('#login-password').value = '';
      err.hidden = true;
      await startApp(data);
    } catch (e) {
      err.textContent = e.message;
      err.hidden = false;
      $('#login-password').value = '';
      $('#login-password').focus();
    } finally {
      submit.disabled = false;
    }
  }

  async function logout() {
    try {
      await api('DELETE', '/session', undefined, { allow401: true });
    } catch (e) {
      if (e.status === 0) { reportError(e); return; }
    }
    resetAppState();
    showLogin('');
  }

  async function startApp(session) {
    if (!session || !session.user) throw new ApiError(0, 'bad_session', 'Jawaban server tidak dikenali.');
    resetAppState();
    state.user = session.user;
    state.csrf = session.csrf_token || null;
    $('#login').hidden = true;
    $('#app').hidden = false;
    $('#user-name').textContent = String(state.user.username || '');
    $('#user-role').textContent = ROLE_LABEL[state.user.role] || String(state.user.role || '');
    $('#nav-new').hidden = !isAdmin();
    try {
      const { data } = await api('GET', '/meta');
      state.meta = data || {};
    } catch (e) {
      if (e.status === 401) return;
      state.meta = {};
      reportError(e);
    }
    buildViews();
    loadStats().catch(reportError);
    loadOutbox().catch(() => {});
    await route();
    schedulePoll();
    if (!state.tickTimer) state.tickTimer = setInterval(tick, 1000);
  }

  // ---------------------------------------------------------------- polling

  function schedulePoll() {
    stopPolling();
    state.pollTimer = setTimeout(async () => {
      await pollOnce();
      if (state.user) schedulePoll();
    }, POLL_MS);
  }

  function stopPolling() {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
  }

  async function pollOnce() {
    if (!state.user || document.hidden) return;
    const results = await Promise.allSettled([loadQueue(false), loadStats(), loadOutbox(), loadReplies(false)]);
    const failed = results.find((r) => r.status === 'rejected');
    setOnline(!(failed && failed.reason && failed.reason.status === 0));
    checkDetailStale();
  }

  function setOnline(online) {
    state.online = online;
    const c = $('#conn');
    if (c) c.hidden = online;
  }

  // ---------------------------------------------------------------- stats and sources

  async function loadStats() {
    const { data } = await api('GET', '/stats');
    state.stats = data || {};
    const now = parseTime(state.stats.now);
    if (Number.isFinite(now)) state.clockOffset = now - Date.now();
    renderStats();
    if (state.route.name === 'sources') renderSources();
  }

  function renderStats() {
    const s = state.stats || {};
    const show = (id, v) => { $(id).textContent = typeof v === 'number' ? String(v) : '-'; };
    show('#stat-menunggu', s.menunggu);
    show('#stat-lewat', s.lewat_sla);
    show('#stat-hari-ini', s.dikonfirmasi_hari_ini);
    $('#stat-lewat').parentElement.classList.toggle('alert', typeof s.lewat_sla === 'number' && s.lewat_sla > 0);
    document.title = (typeof s.menunggu === 'number' ? `(${s.menunggu}) ` : '') + 'Antrean Aduan — sambatd';

    const sources = Array.isArray(s.sources) ? s.sources : [];
    const bad = { error: 0, paused: 0 };
    for (const src of sources) if (src.state in bad) bad[src.state]++;
    const parts = [];
    if (bad.error) parts.push(`${bad.error} galat`);
    if (bad.paused) parts.push(`${bad.paused} dijeda`);
    const link = $('#src-status');
    link.textContent = 'Sumber: ' + (sources.length === 0 ? '-' : parts.length ? parts.join(', ') : 'normal');
    link.classList.toggle('src-bad', parts.length > 0);
  }

  function renderSources() {
    const view = $('#view-sources');
    const sources = state.stats && Array.isArray(state.stats.sources) ? state.stats.sources : null;
    const body = h('tbody');
    for (const s of sources || []) {
      const st = SOURCE_STATE[s.state] || { label: String(s.state || '-'), cls: '' };
      body.appendChild(h('tr', { class: 'source-row' },
        h('td', null, String(s.source || '-')),
        h('td', null, String(s.endpoint || '-')),
        h('td', null, h('span', { class: 'state ' + st.cls }, st.label)),
        h('td', null, s.last_success ? fmtTime(s.last_success) : '-'),
        h('td', { class: 'wrap' }, s.message ? String(s.message) : '')));
    }
    view.replaceChildren(
      h('div', { class: 'view-head' }, h('h2', null, 'Kesehatan sumber'),
        h('span', { class: 'muted' }, 'Diperbarui otomatis setiap 5 detik.')),
      sources === null ? h('p', { class: 'muted' }, 'Memuat…')
        : sources.length === 0 ? h('p', { class: 'muted' }, 'Belum ada sumber yang aktif.')
          : h('table', { class: 'grid', id: 'sources-table' },
            h('thead', null, h('tr', null, h('th', null, 'Sumber'), h('th', null, 'Endpoint'), h('th', null, 'Status'),
              h('th', null, 'Terakhir berhasil'), h('th', null, 'Pesan'))),
            body));
  }

  // ---------------------------------------------------------------- hand-off dead letters

  // GET /outbox (dead letters + counters). A 404 means no hand-off is configured.
  async function loadOutbox(force) {
    let data = null;
    let missing = false;
    try {
      ({ data } = await api('GET', '/outbox?status=dead'));
    } catch (e) {
      if (e.status !== 404) throw e;
      missing = true;
    }
    if (!state.user) return;
    state.outbox = { missing, data: data || {} };
    const dead = !missing && typeof state.outbox.data.dead === 'number' ? state.outbox.data.dead : 0;
    $('#stat-gagal').textContent = String(dead);
    $('#stat-gagal-box').hidden = dead <= 0;
    if (state.route.name === 'outbox') renderOutbox(force);
  }

  function renderOutbox(force) {
    const view = $('#view-outbox');
    const ob = state.outbox;
    const key = JSON.stringify(ob);
    if (!force && key === state.outboxShown) return; // keep the buttons under the pointer
    state.outboxShown = key;
    const head = h('div', { class: 'view-head' }, h('h2', null, 'Gagal kirim'),
      h('span', { class: 'muted' }, 'Disposisi yang gagal dikirim ke OPD. Diperbarui otomatis setiap 5 detik.'));
    if (!ob) { view.replaceChildren(head, h('p', { class: 'muted' }, 'Memuat…')); return; }
    if (ob.missing) { view.replaceChildren(head, h('p', { id: 'outbox-missing', class: 'empty' }, 'Hand-off belum dikonfigurasi.')); return; }
    const d = ob.data;
    const items = Array.isArray(d.items) ? d.items : [];
    const admin = isAdmin();
    const count = (id, label, v, cls) => h('span', { class: 'ob-count ' + cls },
      h('span', { class: 'counter-label' }, label), ' ', h('strong', { id }, typeof v === 'number' ? String(v) : '-'));
    view.replaceChildren(head,
      h('div', { id: 'outbox-counters', class: 'ob-counters' },
        count('ob-backlog', 'Antre kirim', d.backlog, 'ob-backlog'),
        count('ob-dead', 'Gagal', d.dead, d.dead > 0 ? 'ob-dead' : ''),
        count('ob-delivered', 'Terkirim', d.delivered, 'ob-delivered')),
      items.length === 0 ? h('p', { id: 'outbox-empty', class: 'empty' }, 'Tidak ada kiriman yang gagal.')
        : h('table', { id: 'outbox-table', class: 'grid' },
          h('thead', null, h('tr', null, h('th', { class: 'num' }, '#'), h('th', null, 'Draf'),
            h('th', { class: 'num' }, 'Percobaan'), h('th', null, 'Galat terakhir'), h('th', null, 'Dibuat'),
            admin ? h('th', null, 'Tindakan') : null)),
          h('tbody', null, items.map((o) => h('tr', { class: 'outbox-row', dataset: { id: String(o.id) } },
            h('td', { class: 'num mono' }, String(o.id)),
            h('td', null, h('a', { href: '#/draf/' + o.draft_id }, '#' + o.draft_id)),
            h('td', { class: 'num' }, typeof o.attempts === 'number' ? String(o.attempts) : '-'),
            h('td', { class: 'wrap' }, o.last_error ? String(o.last_error) : '-'),
            h('td', { class: 'nowrap' }, fmtTime(o.created)),
            admin ? h('td', null, h('button', {
              type: 'button', class: 'btn btn-small btn-resend', dataset: { id: String(o.id) },
              onclick: (ev) => resendOutbox(o.id, ev.currentTarget),
            }, 'Kirim ulang')) : null)))));
  }

  async function resendOutbox(id, btn) {
    if (!isAdmin()) return;
    btn.disabled = true;
    try {
      await api('POST', `/outbox/${id}/resend`, {});
      flash(`Kiriman #${id} dijadwalkan untuk dikirim ulang.`, 'ok');
    } catch (e) {
      btn.disabled = false;
      reportError(e);
    }
    try { await loadOutbox(true); } catch (e) { reportError(e); }
  }

  // ---------------------------------------------------------------- replies to citizens

  const REPLY_STATUS = {
    review: 'Menunggu persetujuan', pending: 'Antre kirim', sending: 'Sedang dikirim', delivered: 'Terkirim',
    dead: 'Gagal', discarded: 'Dibatalkan',
  };
  const REPLY_TEMPLATE = {
    tanda_terima: 'Tanda terima', kelengkapan: 'Permintaan kelengkapan data', jawaban_akhir: 'Jawaban akhir',
  };
  const REPLY_MAX = { x: 280, instagram: 2200, facebook: 8000 };

  function charCount(text) { return Array.from(text || '').length; }

  // GET /replies?status=…; a 404 means replies are not available on this server.
  async function loadReplies(force) {
    let data = null;
    let missing = false;
    try {
      ({ data } = await api('GET', '/replies?' + queryString({ status: state.replies.status })));
    } catch (e) {
      if (e.status !== 404) throw e;
      missing = true;
    }
    if (!state.user) return;
    state.replies.data = data;
    state.replies.missing = missing;
    const review = data && data.counts && typeof data.counts.review === 'number' ? data.counts.review : 0;
    const badge = $('#replies-badge');
    badge.textContent = String(review);
    badge.hidden = review <= 0;
    if (state.route.name === 'replies') renderReplies(force);
  }

  function renderReplies(force) {
    const view = $('#view-replies');
    const r = state.replies;
    const key = JSON.stringify([r.status, r.data, r.missing]);
    // Never redraw under an operator who is editing a reply or a reason.
    if (!force && (key === r.shown || (document.activeElement && view.contains(document.activeElement) &&
        isTyping(document.activeElement)))) return;
    r.shown = key;
    const statusSelect = h('select', { id: 'replies-status', onchange: (ev) => {
      state.replies.status = ev.currentTarget.value;
      loadReplies(true).catch(reportError);
    } }, Object.keys(REPLY_STATUS).filter((k) => k !== 'sending')
      .map((k) => option(k, REPLY_STATUS[k], k === r.status)));
    const mode = r.data && r.data.mode;
    const modeText = mode === 'auto' ? 'Mode otomatis: balasan terkirim tanpa persetujuan.'
      : mode === 'review' ? 'Mode tinjau: setiap balasan menunggu persetujuan Admin Utama.'
        : 'Balasan ke warga dimatikan (replies.mode: off).';
    const head = h('div', { class: 'view-head' }, h('h2', null, 'Balasan ke warga'),
      h('span', { class: 'muted', id: 'replies-mode' }, modeText),
      h('label', { class: 'inline' }, 'Tampilkan ', statusSelect));
    if (r.missing) { view.replaceChildren(head, h('p', { class: 'empty' }, 'Balasan tidak tersedia di server ini.')); return; }
    if (!r.data) { view.replaceChildren(head, h('p', { class: 'muted' }, 'Memuat…')); return; }
    const c = r.data.counts || {};
    const count = (id, label, v, cls) => h('span', { class: 'ob-count ' + (cls || '') },
      h('span', { class: 'counter-label' }, label), ' ', h('strong', { id }, typeof v === 'number' ? String(v) : '-'));
    const items = Array.isArray(r.data.items) ? r.data.items : [];
    view.replaceChildren(head,
      h('div', { id: 'replies-counters', class: 'ob-counters' },
        count('rp-review', 'Menunggu persetujuan', c.review, c.review > 0 ? 'ob-backlog' : ''),
        count('rp-delivered', 'Terkirim', c.delivered, 'ob-delivered'),
        count('rp-dead', 'Gagal', c.dead, c.dead > 0 ? 'ob-dead' : ''),
        count('rp-discarded', 'Dibatalkan', c.discarded, '')),
      h('p', { class: 'muted small' }, 'Balasan bersifat publik: jangan cantumkan nama lengkap, alamat, atau nomor telepon pemohon.'),
      items.length === 0 ? h('p', { id: 'replies-empty', class: 'empty' }, 'Tidak ada balasan dengan status ini.')
        : h('div', { id: 'replies-list' }, items.map(replyCard)));
  }

  function replyCard(o) {
    const admin = isAdmin();
    const editable = admin && o.status === 'review';
    const max = REPLY_MAX[o.platform] || 8000;
    // An edit survives the 5-second redraws until it is approved or discarded.
    const shownText = editable && state.replies.edits[o.id] !== undefined ? state.replies.edits[o.id] : (o.text || '');
    const counter = h('span', { class: 'muted small reply-count' }, charCount(shownText) + ' / ' + max);
    const text = editable
      ? h('textarea', { class: 'reply-text', rows: '3', maxlength: String(max * 4), value: shownText,
        oninput: (ev) => {
          state.replies.edits[o.id] = ev.currentTarget.value;
          const n = charCount(ev.currentTarget.value);
          counter.textContent = n + ' / ' + max;
          counter.classList.toggle('over', n > max);
        } })
      : h('p', { class: 'reply-text-static' }, o.text || '');
    const reason = h('input', { type: 'text', class: 'reason-text reply-reason', placeholder: 'alasan pembatalan',
      autocomplete: 'off' });
    const actions = [];
    if (editable) {
      actions.push(h('button', { type: 'button', class: 'btn btn-primary btn-small btn-approve',
        onclick: (ev) => replyAction(o, 'approve', ev.currentTarget, text, reason) }, 'Setujui & kirim'));
    }
    if (admin && o.status === 'dead' && o.can_resend) {
      actions.push(h('button', { type: 'button', class: 'btn btn-small btn-resend',
        onclick: (ev) => replyAction(o, 'resend', ev.currentTarget, text, reason) }, 'Kirim ulang'));
    }
    if (admin && (o.status === 'review' || o.status === 'dead')) {
      actions.push(reason, h('button', { type: 'button', class: 'btn btn-small btn-reject btn-discard',
        onclick: (ev) => replyAction(o, 'discard', ev.currentTarget, text, reason) }, 'Batalkan'));
    }
    return h('article', { class: 'card reply-card', dataset: { id: String(o.id) } },
      h('div', { class: 'reply-head' },
        kanalBadge(o.platform),
        h('strong', null, REPLY_TEMPLATE[o.template] || o.template || '-'),
        h('span', { class: 'muted' }, ' untuk '), h('a', { href: '#/draf/' + o.draft_id }, 'draf #' + o.draft_id),
        o.post_url ? extLink(o.post_url, 'lihat unggahan', 'reply-post') : null,
        h('span', { class: 'muted small' }, ' · ' + (REPLY_STATUS[o.status] || o.status) + ' · ' +
          fmtTime(o.delivered_at || o.created))),
      text, editable ? counter : null,
      o.last_error ? h('p', { class: 'reply-error' }, String(o.last_error)) : null,
      o.reply_id ? h('p', { class: 'muted small' }, 'ID balasan di platform: ', h('span', { class: 'mono' }, String(o.reply_id))) : null,
      actions.length ? h('div', { class: 'reply-actions' }, actions) : null);
  }

  async function replyAction(o, action, btn, textEl, reasonEl) {
    if (!isAdmin()) return;
    let body = {};
    if (action === 'approve' && textEl && textEl.value !== undefined && textEl.value.trim() !== (o.text || '').trim()) {
      body = { text: textEl.value };
    }
    if (action === 'discard') {
      const why = (reasonEl.value || '').trim();
      if (!why) { flash('Tulis alasan pembatalan balasan.', 'error'); reasonEl.focus(); return; }
      body = { reason: why };
    }
    btn.disabled = true;
    try {
      await api('POST', `/replies/${o.id}/${action}`, body);
      delete state.replies.edits[o.id];
      flash(action === 'approve' ? `Balasan #${o.id} disetujui dan segera dikirim.`
        : action === 'resend' ? `Balasan #${o.id} dijadwalkan untuk dikirim ulang.`
          : `Balasan #${o.id} dibatalkan.`, 'ok');
    } catch (e) {
      btn.disabled = false;
      reportError(e);
      return;
    }
    try { await loadReplies(true); } catch (e) { reportError(e); }
  }

  // ---------------------------------------------------------------- views: build once per login

  function buildViews() {
    buildQueueView();
    buildNewView();
    state.views.built = true;
  }

  function option(value, label, selected) {
    return h('option', { value, selected: !!selected }, label);
  }

  function buildQueueView() {
    const q = state.queue;
    const meta = state.meta || {};
    const kanal = Array.isArray(meta.kanal) && meta.kanal.length ? meta.kanal : DEFAULT_KANAL;

    const fStatus = h('select', { id: 'flt-status', onchange: (e) => setFilter('status', e.target.value) },
      STATUS_FILTERS.map((s) => option(s, STATUS_LABEL[s], q.filters.status === s)));
    const fKanal = h('select', { id: 'flt-kanal', onchange: (e) => setFilter('kanal', e.target.value) },
      option('', 'semua kanal'), kanal.map((k) => option(k, KANAL_LABEL[k] || k, q.filters.kanal === k)));
    const fOpd = h('select', { id: 'flt-opd', class: 'wide-select', onchange: (e) => setFilter('opd', e.target.value) },
      option('', 'semua OPD'), (meta.opd || []).map((o) => option(o.code, `${o.code} — ${o.name}`, q.filters.opd === o.code)));
    const fKec = h('select', { id: 'flt-kecamatan', onchange: (e) => setFilter('kecamatan', e.target.value) },
      option('', 'semua kecamatan'), (meta.kecamatan || []).map((k) => option(k, k, q.filters.kecamatan === k)));
    const fQ = h('input', {
      id: 'flt-q', type: 'search', value: q.filters.q, placeholder: 'Cari pesan, nama, alamat… ( / )',
      autocomplete: 'off', spellcheck: 'false',
      oninput: (e) => {
        clearTimeout(q.searchTimer);
        const v = e.target.value.trim();
        q.searchTimer = setTimeout(() => setFilter('q', v), SEARCH_DEBOUNCE_MS);
      },
    });
    const lab = (text, ctl) => h('label', { class: 'filter' }, h('span', null, text), ctl);

    const table = h('table', { id: 'queue-table', class: 'grid queue' },
      h('thead', null, h('tr', null,
        h('th', { class: 'c-id' }, '#'), h('th', null, 'Kanal'), h('th', null, 'Waktu'),
        h('th', { class: 'c-msg' }, 'Cuplikan pesan'), h('th', null, 'OPD usulan'), h('th', null, 'Lokasi'),
        h('th', null, 'Kelengkapan'), h('th', { class: 'c-sla' }, 'SLA'))),
      h('tbody', { id: 'queue-body', onclick: onQueueClick }));

    $('#view-queue').replaceChildren(
      h('div', { class: 'filters' },
        lab('Status', fStatus), lab('Kanal', fKanal), lab('OPD', fOpd), lab('Kecamatan', fKec),
        h('label', { class: 'filter filter-q' }, h('span', null, 'Cari'), fQ),
        h('span', { id: 'queue-count', class: 'muted queue-count' })),
      table,
      h('p', { id: 'queue-empty', class: 'empty', hidden: true }, 'Tidak ada draf untuk filter ini.'),
      h('p', { class: 'more' },
        h('button', { id: 'btn-more', type: 'button', class: 'btn', hidden: true, onclick: loadMore }, 'Muat lebih banyak')));
  }

  function setFilter(name, value) {
    const q = state.queue;
    if (q.filters[name] === value) return;
    q.filters[name] = value;
    loadQueue(true).catch(reportError);
  }

  // ---------------------------------------------------------------- queue data

  function mergeQueue() {
    const q = state.queue;
    const seen = new Set(q.first.map((d) => d.id));
    q.items = q.first.concat(q.extra.filter((d) => !seen.has(d.id)));
  }

  function filterParams() {
    const f = state.queue.filters;
    return { status: f.status, kanal: f.kanal, opd: f.opd, kecamatan: f.kecamatan, q: f.q, limit: PAGE_LIMIT };
  }

  // Loads (or refreshes) the first page. reset: the filters changed, so drop later pages.
  async function loadQueue(reset) {
    const q = state.queue;
    const gen = reset ? ++q.gen : q.gen;
    const { data } = await api('GET', '/drafts?' + queryString(filterParams()));
    if (gen !== q.gen || q !== state.queue) return; // superseded
    q.first = Array.isArray(data && data.drafts) ? data.drafts : [];
    if (reset) q.extra = [];
    if (q.extra.length === 0) q.nextCursor = data && data.next_cursor != null ? data.next_cursor : null;
    mergeQueue();
    q.loaded = true;
    renderQueue(reset);
  }

  async function loadMore() {
    const q = state.queue;
    if (q.nextCursor == null) return;
    const gen = q.gen;
    const btn = $('#btn-more');
    btn.disabled = true;
    try {
      const { data } = await api('GET', '/drafts?' + queryString({ ...filterParams(), cursor: q.nextCursor }));
      if (gen !== q.gen || q !== state.queue) return;
      const have = new Set(q.items.map((d) => d.id));
      for (const d of (data && data.drafts) || []) if (!have.has(d.id)) q.extra.push(d);
      q.nextCursor = data && data.next_cursor != null ? data.next_cursor : null;
      mergeQueue();
      renderQueue(false);
    } catch (e) {
      reportError(e);
    } finally {
      btn.disabled = false;
    }
  }

  function renderQueue(reset) {
    const q = state.queue;
    const body = $('#queue-body');
    if (!body) return;
    const firstRender = q.knownIds === null || reset;
    const known = q.knownIds || new Set();
    const rows = q.items.map((d) => queueRow(d, !firstRender && !known.has(d.id)));
    body.replaceChildren(...rows);
    q.knownIds = new Set(q.items.map((d) => d.id));
    $('#queue-empty').hidden = q.items.length > 0;
    $('#btn-more').hidden = q.nextCursor == null;
    $('#queue-count').textContent = `${q.items.length} draf ditampilkan` + (q.nextCursor != null ? ' (masih ada lagi)' : '');
  }

  function queueRow(d, isNew) {
    const q = state.queue;
    const cls = ['draft-row'];
    if (d.id === q.selectedId) cls.push('selected');
    if (isNew) cls.push('is-new');
    const missing = Array.isArray(d.missing_fields) ? d.missing_fields : [];
    const cands = Array.isArray(d.opd_candidates) ? d.opd_candidates : [];
    let opdCell;
    if (d.opd) opdCell = h('span', { class: 'opd', title: opdName(d.opd) || '' }, String(d.opd));
    else if (cands.length) opdCell = h('span', { class: 'muted', title: 'Kandidat, belum dipilih' }, cands.slice(0, 2).map((c) => c.code).join(' / ') + ' ?');
    else opdCell = h('span', { class: 'muted' }, '-');
    return h('tr', { class: cls.join(' '), dataset: { id: String(d.id) } },
      h('td', { class: 'c-id' }, h('a', { href: '#/draf/' + d.id }, String(d.id))),
      h('td', null, kanalBadge(d.kanal)),
      h('td', { class: 'nowrap' }, fmtTime(d.created)),
      h('td', { class: 'c-msg' },
        h('span', { class: 'cuplikan' }, String(d.cuplikan || '')),
        d.returned_by_opd ? h('span', { class: 'badge badge-returned', title: 'Dikembalikan oleh Admin OPD' },
          d.status === 'pending' ? 'Dikembalikan OPD' : 'Pernah dikembalikan OPD') : null,
        d.duplicate_group != null ? h('span', { class: 'badge', title: 'Kelompok kemungkinan duplikat' }, 'grup ' + d.duplicate_group) : null),
      h('td', null, opdCell),
      h('td', null, lokasiText(d.desa, d.kecamatan)),
      h('td', null, h('span', { class: missing.length ? 'incomplete' : 'complete' }, missingText(missing))),
      h('td', { class: 'c-sla' }, d.status === 'pending' ? slaSpan(d.sla_due) : statusBadge(d.status)));
  }

  function onQueueClick(ev) {
    const row = ev.target.closest('tr.draft-row');
    if (!row) return;
    if (ev.target.closest('a')) return; // the # link navigates by itself
    const sel = window.getSelection && window.getSelection();
    if (sel && String(sel).length > 0 && row.contains(sel.anchorNode)) return; // copying text
    openDraft(Number(row.dataset.id));
  }

  function openDraft(id) {
    state.queue.selectedId = id;
    location.hash = '#/draf/' + id;
  }

  function selectRow(row) {
    for (const r of $$('#queue-body tr.selected')) r.classList.remove('selected');
    row.classList.add('selected');
    state.queue.selectedId = Number(row.dataset.id);
    row.scrollIntoView({ block: 'nearest' });
  }

  function moveSelection(delta) {
    const rows = $$('#queue-body tr.draft-row');
    if (!rows.length) return;
    let idx = rows.findIndex((r) => Number(r.dataset.id) === state.queue.selectedId);
    if (idx < 0) idx = delta > 0 ? 0 : rows.length - 1;
    else idx = Math.max(0, Math.min(rows.length - 1, idx + delta));
    selectRow(rows[idx]);
  }

  function openSelected() {
    const row = $('#queue-body tr.draft-row.selected');
    if (row) openDraft(Number(row.dataset.id));
  }

  // ---------------------------------------------------------------- routing

  function parseRoute() {
    const hash = location.hash || '#/';
    const m = /^#\/draf\/(\d+)$/.exec(hash);
    if (m) return { name: 'detail', id: Number(m[1]) };
    if (hash === '#/baru') return { name: 'new' };
    if (hash === '#/kualitas') return { name: 'quality' };
    if (hash === '#/sumber') return { name: 'sources' };
    if (hash === '#/gagal-kirim') return { name: 'outbox' };
    if (hash === '#/balasan') return { name: 'replies' };
    if (hash === '#/rekap') return { name: 'rekap' };
    return { name: 'queue' };
  }

  async function route() {
    if (!state.user) return;
    const r = parseRoute();
    const prev = state.route;
    if (prev.name === 'queue' && r.name !== 'queue') state.queue.scrollY = window.scrollY;
    state.route = r;
    for (const v of $$('#main > .view')) v.hidden = v.id !== 'view-' + r.name;
    for (const a of $$('.mainnav a')) a.classList.toggle('active', a.dataset.route === r.name);
    if (r.name !== 'detail') {
      state.detail = null;
      state.detailSeq++; // a detail still loading must not render any more
    }
    // An error belongs to the view it happened in; a success message may follow the user.
    if ($('#flash').classList.contains('flash-error') && (r.name !== prev.name || r.id !== prev.id)) hideFlash();

    switch (r.name) {
      case 'queue':
        if (!state.queue.loaded) {
          try { await loadQueue(true); } catch (e) { reportError(e); }
        } else {
          renderQueue(false);
          loadQueue(false).catch(reportError);
        }
        window.scrollTo(0, state.queue.scrollY || 0);
        break;
      case 'detail':
        if (!state.queue.loaded) loadQueue(true).catch(reportError); // for j/k order
        state.queue.selectedId = r.id;
        await loadDetail(r.id, false);
        break;
      case 'new':
        window.scrollTo(0, 0);
        break;
      case 'quality':
        window.scrollTo(0, 0);
        await loadQuality();
        break;
      case 'sources':
        window.scrollTo(0, 0);
        renderSources();
        loadStats().catch(reportError);
        break;
      case 'outbox':
        window.scrollTo(0, 0);
        renderOutbox(true);
        await loadOutbox(true).catch((e) => {
          if (e.status === 401 || state.route.name !== 'outbox') return;
          state.outboxShown = '';
          $('#view-outbox').replaceChildren(h('h2', null, 'Gagal kirim'), h('p', { class: 'empty' }, e.message));
          reportError(e);
        });
        break;
      case 'replies':
        window.scrollTo(0, 0);
        renderReplies(true);
        await loadReplies(true).catch((e) => {
          if (e.status === 401 || state.route.name !== 'replies') return;
          reportError(e);
        });
        break;
      case 'rekap':
        window.scrollTo(0, 0);
        // rekap.js draws the page; it gets the same API client and element builder.
        await window.SambatRekap.show($('#view-rekap'), {
          api, h, opdName, isCurrent: () => state.route.name === 'rekap',
        }).catch(reportError);
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- detail

  async function loadDetail(id, keepScroll) {
    const seq = ++state.detailSeq;
    const view = $('#view-detail');
    const y = window.scrollY;
    if (!keepScroll) {
      state.detail = null; // no shortcut may act on the previous draft while this one loads
      view.replaceChildren(h('p', { class: 'muted loading' }, `Memuat draf #${id}…`));
      window.scrollTo(0, 0);
    }
    try {
      const { data } = await api('GET', '/drafts/' + id);
      if (seq !== state.detailSeq) return;
      renderDetail(data);
      if (keepScroll) window.scrollTo(0, y);
    } catch (e) {
      if (seq !== state.detailSeq || e.status === 401) return;
      state.detail = null;
      view.replaceChildren(
        h('div', { class: 'detail-nav' }, h('a', { href: '#/', class: 'back' }, '← Antrean')),
        h('p', { class: 'empty' }, e.status === 404 ? `Draf #${id} tidak ditemukan.` : e.message),
        h('button', { type: 'button', class: 'btn', onclick: () => loadDetail(id, false) }, 'Coba lagi'));
      if (e.status !== 404) reportError(e);
    }
  }

  function canActOn(draft) {
    return isAdmin() && draft && draft.status === 'pending';
  }

  function renderDetail(d) {
    const dr = d.draft || {};
    const post = d.post || {};
    const match = d.match || null;
    const group = Array.isArray(d.group) ? d.group : [];
    const canAct = canActOn(dr);
    state.detail = { id: dr.id, data: d, busy: false, staleShown: false };

    const head = h('div', { class: 'detail-nav' },
      h('a', { href: '#/', class: 'back', title: 'Kembali ke antrean (Esc)' }, '← Antrean'),
      h('h2', null, `Draf #${dr.id}`),
      statusBadge(dr.status),
      kanalBadge(dr.kanal),
      dr.status === 'pending' ? h('span', { class: 'sla-box' }, 'SLA ', slaSpan(dr.sla_due, 'sla-badge')) : null,
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', id: 'btn-prev', class: 'btn btn-small', onclick: () => goSibling(-1) }, '↑ Sebelumnya (k)'),
      h('button', { type: 'button', id: 'btn-next', class: 'btn btn-small', onclick: () => goSibling(1) }, 'Berikutnya (j) ↓'));

    const conflict = h('div', { id: 'conflict', class: 'conflict', role: 'alert', hidden: true });
    const steps = Array.isArray(d.disposisi) ? d.disposisi : [];
    const disp = d.handoff || steps.length || dr.status === 'confirmed' ? disposisiCard(dr, d.handoff, steps, d.sop) : null;

    const left = h('div', { class: 'col' }, postCard(dr, post, match), whyCard(dr, match), groupCard(dr, group));
    const right = h('div', { class: 'col' },
      dr.status !== 'pending' ? decidedCard(dr) : null,
      dr.status !== 'pending' ? disp : null,
      formCard(dr, canAct),
      canAct ? actionsCard(dr, group) : null,
      dr.status === 'pending' ? disp : null,
      repliesCard(Array.isArray(d.replies) ? d.replies : []),
      !isAdmin() ? h('p', { class: 'muted note' }, 'Anda masuk sebagai pengamat: hanya dapat melihat.') : null,
      auditCard(Array.isArray(d.audit) ? d.audit : []));

    const notice = opdReturnNotice(dr, steps);
    $('#view-detail').replaceChildren(...[head, conflict, notice, h('div', { class: 'detail-grid' }, left, right)].filter(Boolean));
  }

  // What the citizen was told on their channel; the Balasan page acts on it.
  function repliesCard(replies) {
    if (replies.length === 0) return null;
    return card('Balasan ke warga',
      h('ul', { class: 'reply-list', id: 'detail-replies' }, replies.map((r) => h('li', null,
        h('strong', null, REPLY_TEMPLATE[r.template] || r.template || '-'), ' · ',
        h('span', { class: 'muted' }, (REPLY_STATUS[r.status] || r.status) + ' · ' + fmtTime(r.delivered_at || r.created)),
        h('p', { class: 'reply-text-static' }, r.text || ''),
        r.last_error ? h('p', { class: 'reply-error' }, String(r.last_error)) : null))),
      h('a', { href: '#/balasan' }, 'Buka halaman Balasan'));
  }

  // An Admin OPD sent the complaint back: its reason, above everything else.
  function opdReturnNotice(dr, steps) {
    if (!dr.returned_by_opd) return null;
    const last = steps.filter((s) => s && s.step === 'dikembalikan_opd').pop();
    const reason = (dr.status === 'pending' && dr.decision_reason) || (last && last.note) || dr.decision_reason;
    return h('div', { id: 'opd-returned', class: 'notice notice-returned', role: 'note' },
      h('strong', null, dr.status === 'pending' ? 'Dikembalikan oleh Admin OPD' : 'Pernah dikembalikan oleh Admin OPD'),
      last ? h('span', { class: 'muted' }, ' (' + fmtTime(last.at) + ')') : null, ': ',
      h('span', { class: 'opd-reason' }, reason ? String(reason) : '(tanpa alasan)'),
      dr.status === 'pending' ? h('div', { class: 'note' }, 'Periksa OPD tujuan, lalu konfirmasi ulang atau putuskan lain.') : null);
  }

  // Hand-off state, the pipeline's reports and the SOP clock.
  function disposisiCard(dr, ho, steps, sop) {
    let text;
    if (!ho) text = dr.status === 'confirmed' ? 'belum dijadwalkan' : 'belum ada';
    else if (ho.status === 'pending') {
      text = 'menunggu kirim' + (ho.attempts > 0
        ? ` (${ho.attempts}× gagal${ho.last_error ? ': ' + ho.last_error : ''}; dicoba lagi ${fmtTime(ho.next_attempt)})` : '');
    } else if (ho.status === 'sending') text = 'sedang dikirim';
    else if (ho.status === 'delivered') text = 'terkirim' + (ho.ticket ? ', tiket ' + ho.ticket : '') + (ho.delivered_at ? ' pada ' + fmtTime(ho.delivered_at) : '');
    else if (ho.status === 'dead') text = 'gagal kirim: ' + (ho.last_error || 'tanpa keterangan');
    else text = String(ho.status || '-');
    const hoEl = h('p', { id: 'handoff-status', class: 'handoff handoff-' + (ho ? String(ho.status) : 'none') },
      'Pengiriman ke OPD: ', h('strong', null, text),
      ho && ho.status === 'dead' ? [' · ', h('a', { href: '#/gagal-kirim' }, 'daftar gagal kirim')] : null);

    const stepList = steps.length
      ? h('ul', { id: 'disposisi-steps', class: 'disposisi-steps' }, steps.map((s) => {
        const step = String(s.step || '');
        return h('li', { dataset: { step } }, h('span', { class: 'audit-time' }, fmtTime(s.at)), ' ',
          h('strong', null, DISPOSISI_LABEL[step] || step),
          s.note ? h('span', { class: 'step-note' }, ' (' + (DISPOSISI_NOTE[step] ? DISPOSISI_NOTE[step] + ': ' : '') + s.note + ')') : null);
      }))
      : h('p', { class: 'muted' }, 'Belum ada laporan dari OPD.');

    let sopEl = null;
    if (sop && Array.isArray(sop.stages)) {
      const total = parseTime(sop.total_due) - parseTime(dr.created);
      sopEl = [
        h('h4', null, 'Waktu SOP'),
        h('ol', { id: 'sop-timeline', class: 'sop' }, sop.stages.map((s) => {
          const stage = String(s.stage || '');
          const overdue = sop.overdue_stage === stage;
          return h('li', { class: 'sop-stage' + (s.done ? ' sop-done' : '') + (overdue ? ' sop-overdue' : ''), dataset: { stage } },
            h('span', { class: 'sop-label' }, SOP_STAGE_LABEL[stage] || stage),
            h('span', { class: 'sop-due' }, 'batas ', clockEl(s.due)),
            h('span', { class: 'sop-when' }, s.done ? ['selesai ', clockEl(s.done, 'sop-done-at')] : 'belum'),
            h('span', { class: 'sop-mark' }, s.late ? h('span', { class: 'sop-late', title: overdue ? 'Tertahan di tahap ini' : null }, 'terlambat') : null));
        })),
        h('p', { id: 'sop-total', class: 'sop-total' },
          `Batas total ${Number.isFinite(total) && total > 0 ? fmtSpan(total) : 'SOP'}: `, clockEl(sop.total_due),
          sop.total_late ? [' ', h('span', { class: 'sop-late' }, 'terlambat')] : null),
      ];
    }
    return h('section', { class: 'card disposisi', id: 'disposisi-card' }, h('h3', null, 'Disposisi'),
      hoEl, h('h4', null, 'Laporan OPD'), stepList, sopEl);
  }

  function card(title, ...children) {
    return h('section', { class: 'card' }, title ? h('h3', null, title) : null, ...children);
  }

  function postCard(dr, post, match) {
    const author = [];
    if (post.author_name) author.push(h('strong', null, String(post.author_name)));
    if (post.author_handle) author.push(h('span', { class: 'handle' }, '@' + String(post.author_handle).replace(/^@/, '')));
    if (!author.length) author.push(h('span', { class: 'muted' }, 'Pengirim tidak diketahui'));

    const textEl = h('div', { id: 'post-text', class: 'post-text' });
    const segments = match && Array.isArray(match.segments) ? match.segments : null;
    if (segments && segments.length) {
      for (const seg of segments) {
        const span = h('span', null, String(seg && seg.text != null ? seg.text : ''));
        const rules = seg && Array.isArray(seg.rules) ? seg.rules : [];
        if (rules.length) {
          span.className = 'hl';
          span.title = 'Aturan: ' + rules.join(', ');
        }
        textEl.appendChild(span);
      }
    } else {
      textEl.appendChild(h('span', null, String(post.text != null ? post.text : dr.pesan || '')));
    }

    const url = post.url || dr.url;
    const link = extLink(url, 'Buka tautan asli ↗', 'orig-link');
    const unsafe = url && !link ? h('span', { class: 'muted' }, 'Tautan (tidak dibuka otomatis): ' + String(url)) : null;

    const media = h('div', { class: 'media' });
    for (const l of Array.isArray(dr.lampiran) ? dr.lampiran : []) {
      if (!l || typeof l !== 'object') continue;
      if (l.type === 'photo') {
        const src = safeImage(l.url);
        if (!src) continue;
        media.appendChild(h('a', { href: src, rel: 'noopener noreferrer', target: '_blank', referrerpolicy: 'no-referrer' },
          h('img', { src, alt: 'Lampiran foto', loading: 'lazy', referrerpolicy: 'no-referrer', class: 'photo' })));
      } else {
        const a = extLink(l.url, 'Lampiran ' + String(l.type || 'berkas') + ' ↗', 'attach');
        if (a) media.appendChild(a);
      }
    }

    return card('Unggahan',
      h('div', { class: 'post-meta' }, author, ' · ', kanalBadge(dr.kanal), ' · ', fmtTime(post.created || dr.created),
        post.kind ? h('span', { class: 'muted' }, ' · ' + String(post.kind)) : null),
      textEl,
      h('div', { class: 'post-links' }, link, unsafe),
      media.childNodes.length ? media : null);
  }

  function whyCard(dr, match) {
    if (!match) return card('Mengapa cocok?', h('p', { class: 'muted' }, 'Tidak ada data klasifikasi (misalnya entri manual).'));
    const rules = Array.isArray(match.rules) ? match.rules : [];
    const rulesTable = rules.length
      ? h('table', { class: 'grid compact', id: 'why-rules' },
        h('thead', null, h('tr', null, h('th', null, 'Aturan'), h('th', null, 'Jenis'), h('th', { class: 'num' }, 'Bobot'))),
        h('tbody', null, rules.map((r) => h('tr', null,
          h('td', null, String(r.id)), h('td', null, String(r.kind || '-')), h('td', { class: 'num' }, fmtNum(r.weight))))))
      : h('p', { class: 'muted' }, 'Tidak ada aturan yang cocok.');

    const cands = Array.isArray(dr.opd_candidates) ? dr.opd_candidates : [];
    const loc = match.location;
    let locEl = h('p', { class: 'muted' }, 'Lokasi tidak ditemukan.');
    if (loc && typeof loc === 'object') {
      const lines = [h('div', null, 'Ditemukan: ', h('strong', null, lokasiText(loc.desa, loc.kecamatan)))];
      if (Array.isArray(loc.candidates) && loc.candidates.length) lines.push(h('div', null, 'Kandidat: ' + loc.candidates.map(String).join(', ')));
      if (loc.matched != null && loc.matched !== '') {
        lines.push(h('div', null, typeof loc.matched === 'string' ? 'Teks yang cocok: “' + loc.matched + '”'
          : 'Cocok: ' + (loc.matched === true ? 'ya' : loc.matched === false ? 'tidak' : JSON.stringify(loc.matched))));
      }
      locEl = h('div', { class: 'loc' }, lines);
    }

    return card('Mengapa cocok?',
      h('p', { class: 'score' },
        'Skor ', h('strong', null, fmtNum(match.score)), ' / ambang ', fmtNum(match.threshold), ' — ',
        h('span', { class: match.is_complaint ? 'complete' : 'incomplete' }, match.is_complaint ? 'aduan' : 'bukan aduan')),
      rulesTable,
      h('h4', null, 'Kandidat OPD'),
      cands.length ? h('ul', { class: 'plain' }, cands.map((c) => h('li', null,
        h('strong', null, String(c.code)), opdName(c.code) ? ' — ' + opdName(c.code) : '', h('span', { class: 'muted' }, ' (skor ' + fmtNum(c.score) + ')'))))
        : h('p', { class: 'muted' }, 'Tidak ada kandidat OPD.'),
      h('h4', null, 'Lokasi'),
      locEl);
  }

  function groupCard(dr, group) {
    if (!group.some((g) => g.id !== dr.id)) return null;
    return card('Kemungkinan duplikat' + (dr.duplicate_group != null ? ` (grup ${dr.duplicate_group})` : ''),
      h('ul', { class: 'group', id: 'group' }, group.map((g) => h('li', { class: g.id === dr.id ? 'self' : '' },
        h('a', { href: '#/draf/' + g.id }, '#' + g.id), ' ', statusBadge(g.status), ' ', kanalBadge(g.kanal), ' ',
        h('span', { class: 'muted' }, fmtTime(g.created)), ' ',
        h('span', { class: 'cuplikan' }, String(g.cuplikan || '')),
        g.id === dr.id ? h('span', { class: 'muted' }, ' (draf ini)') : null))));
  }

  function decidedCard(dr) {
    return h('section', { class: 'card decided decided-' + String(dr.status), id: 'decided' },
      h('h3', null, 'Status: ', STATUS_LABEL[dr.status] || String(dr.status)),
      dr.decided_by || dr.decided_at
        ? h('p', null, 'Diputuskan oleh ', h('strong', null, String(dr.decided_by || '-')), ' pada ', fmtTime(dr.decided_at))
        : null,
      dr.decision_reason ? h('p', null, 'Alasan: ', String(dr.decision_reason)) : null,
      dr.duplicate_of != null ? h('p', null, 'Duplikat dari ', h('a', { href: '#/draf/' + dr.duplicate_of }, '#' + dr.duplicate_of)) : null);
  }

  function formCard(dr, canAct) {
    const meta = state.meta || {};
    const dis = !canAct;
    const field = (id, label, ctl, required, note) => h('div', { class: 'field' },
      h('label', { for: id }, label, required ? h('span', { class: 'req', title: 'wajib' }, ' *') : null),
      ctl, note ? h('div', { class: 'note muted' }, note) : null);

    const opdCodes = new Set((meta.opd || []).map((o) => o.code));
    const opdSel = h('select', { id: 'f-opd', disabled: dis },
      option('', '— pilih OPD —'),
      (meta.opd || []).map((o) => option(o.code, `${o.code} — ${o.name}`)),
      dr.opd && !opdCodes.has(dr.opd) ? option(dr.opd, String(dr.opd)) : null);
    opdSel.value = dr.opd || '';

    const kecList = meta.kecamatan || [];
    const kecSel = h('select', { id: 'f-kecamatan', disabled: dis },
      option('', '—'), kecList.map((k) => option(k, k)),
      dr.kecamatan && !kecList.includes(dr.kecamatan) ? option(dr.kecamatan, dr.kecamatan) : null);
    kecSel.value = dr.kecamatan || '';

    const cands = (Array.isArray(dr.opd_candidates) ? dr.opd_candidates : []).map((c) => c.code);
    const missing = Array.isArray(dr.missing_fields) ? dr.missing_fields : [];

    return card('Data aduan',
      h('p', { class: missing.length ? 'incomplete' : 'complete', id: 'completeness' }, missingText(missing)),
      field('f-nama', 'Nama', h('input', { id: 'f-nama', type: 'text', value: dr.nama || '', disabled: dis, autocomplete: 'off' }), true,
        dr.nama_from_profile ? 'Diambil dari profil media sosial — periksa kembali.' : null),
      field('f-alamat', 'Alamat', h('input', { id: 'f-alamat', type: 'text', value: dr.alamat || '', disabled: dis, autocomplete: 'off' }), true),
      field('f-pesan', 'Pesan', h('textarea', { id: 'f-pesan', rows: '6', value: dr.pesan || '', disabled: dis }), true),
      field('f-opd', 'OPD', opdSel, true, cands.length ? 'Kandidat: ' + cands.join(', ') : null),
      field('f-kategori', 'Kategori', h('input', { id: 'f-kategori', type: 'text', list: 'kategori-list', value: dr.kategori || '', disabled: dis, autocomplete: 'off' })),
      h('datalist', { id: 'kategori-list' }, (meta.kategori || []).map((k) => h('option', { value: k }))),
      h('div', { class: 'field-row' },
        field('f-kecamatan', 'Kecamatan', kecSel),
        field('f-desa', 'Desa', h('input', { id: 'f-desa', type: 'text', value: dr.desa || '', disabled: dis, autocomplete: 'off' }))),
      h('p', { id: 'form-error', class: 'form-error', role: 'alert', hidden: true }),
      canAct ? h('div', { class: 'form-actions' },
        h('button', { id: 'btn-save', type: 'button', class: 'btn btn-primary', onclick: saveDraft }, 'Simpan')) : null);
  }

  function reasonPicker(kind, reasons, placeholder) {
    return [
      h('select', { id: kind + '-reason', class: 'reason-select' },
        option('', '— pilih alasan —'), (reasons || []).map((r) => option(r, r))),
      h('input', { id: kind + '-reason-text', type: 'text', class: 'reason-text', placeholder, autocomplete: 'off' }),
    ];
  }

  function actionsCard(dr, group) {
    const meta = state.meta || {};
    const other = group.find((g) => g.id !== dr.id);
    return h('section', { class: 'card actions', id: 'actions' },
      h('h3', null, 'Tindakan'),
      h('button', { id: 'btn-confirm', type: 'button', class: 'btn btn-big btn-confirm', onclick: () => doAction('confirm') },
        'Konfirmasi & Disposisi', h('span', { class: 'kbd-hint' }, 'c')),
      h('div', { class: 'action-group' },
        h('h4', null, 'Kembalikan ke Pemohon'),
        h('div', { class: 'action-row' },
          reasonPicker('return', meta.return_reasons, 'atau tulis alasan lain'),
          h('button', { id: 'btn-return', type: 'button', class: 'btn btn-return', onclick: () => doAction('return') }, 'Kembalikan ke Pemohon'))),
      h('div', { class: 'action-group' },
        h('h4', null, 'Tolak'),
        h('div', { class: 'action-row' },
          reasonPicker('reject', meta.reject_reasons, 'atau tulis alasan lain'),
          h('button', { id: 'btn-reject', type: 'button', class: 'btn btn-big btn-reject', onclick: () => doAction('reject') },
            'Tolak', h('span', { class: 'kbd-hint' }, 'x')))),
      h('div', { class: 'action-group' },
        h('h4', null, 'Tandai Duplikat'),
        h('div', { class: 'action-row' },
          h('label', { for: 'duplicate-of', class: 'inline' }, 'Duplikat dari draf #'),
          h('input', { id: 'duplicate-of', type: 'number', min: '1', step: '1', class: 'dup-input', value: other ? String(other.id) : '' }),
          h('button', { id: 'btn-duplicate', type: 'button', class: 'btn btn-duplicate', onclick: () => doAction('duplicate') }, 'Tandai Duplikat'))));
  }

  function fmtValue(v) {
    if (v === null || v === undefined || v === '') return '(kosong)';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  function auditCard(audit) {
    const list = h('ul', { id: 'audit', class: 'audit' });
    for (const a of audit) {
      const before = a.before && typeof a.before === 'object' ? a.before : null;
      const after = a.after && typeof a.after === 'object' ? a.after : null;
      const keys = [];
      for (const k of Object.keys(before || {}).concat(Object.keys(after || {}))) if (!keys.includes(k)) keys.push(k);
      const changes = keys.map((k) => {
        const label = (FIELD_LABEL[k] || k) + ': ';
        if (!before) return h('div', { class: 'change' }, label + fmtValue(after[k]));
        if (!after) return h('div', { class: 'change' }, label + fmtValue(before[k]) + ' → (dihapus)');
        return h('div', { class: 'change' }, label + fmtValue(before[k]) + ' → ' + fmtValue(after[k]));
      });
      const action = String(a.action || '');
      list.appendChild(h('li', { dataset: { action } },
        h('div', { class: 'audit-head' },
          h('span', { class: 'audit-time' }, fmtTime(a.at)), ' ',
          h('strong', { class: 'audit-actor' }, String(a.actor || '-')), ' ',
          h('span', { class: 'audit-action' }, ACTION_LABEL[action] || action)),
        changes.length ? h('div', { class: 'audit-changes' }, changes) : null,
        a.reason ? h('div', { class: 'audit-reason' }, 'Alasan: ' + String(a.reason)) : null));
    }
    return card('Riwayat', list, audit.length ? null : h('p', { class: 'muted' }, 'Belum ada riwayat.'));
  }

  // The form's values: trimmed, empty → null (pesan is kept as written).
  function readForm() {
    const out = {};
    for (const f of FORM_FIELDS) {
      const el = $('#f-' + f);
      if (!el) continue;
      let v = el.value;
      if (f !== 'pesan') v = v.trim();
      out[f] = f !== 'pesan' && v === '' ? null : v;
    }
    return out;
  }

  function changedFields() {
    const dr = state.detail.data.draft;
    const cur = readForm();
    const out = {};
    for (const f of FORM_FIELDS) {
      if (!(f in cur)) continue;
      const was = dr[f] === undefined || dr[f] === '' ? null : dr[f];
      const now = cur[f];
      if ((now === '' ? null : now) !== was) out[f] = now;
    }
    return out;
  }

  function showFormError(message) {
    const el = $('#form-error');
    if (!el) return;
    el.textContent = message || '';
    el.hidden = !message;
  }

  function showConflict(message) {
    const box = $('#conflict');
    if (!box) return;
    box.replaceChildren(
      h('strong', null, message),
      h('button', { id: 'btn-reload', type: 'button', class: 'btn btn-primary', onclick: reloadDetail }, 'Muat ulang'));
    box.hidden = false;
    box.scrollIntoView({ block: 'nearest' });
  }

  function reloadDetail() {
    if (state.route.name === 'detail') loadDetail(state.route.id, true);
  }

  function setBusy(busy) {
    if (!state.detail) return;
    state.detail.busy = busy;
    for (const b of $$('#view-detail .actions button, #btn-save')) b.disabled = busy;
  }

  function handleDetailError(e) {
    if (e.status === 401) return;
    if (e.status === 409) {
      showConflict(e.message);
      flash(e.message, 'error');
      return;
    }
    if (e.status === 422 || e.status === 400) showFormError(e.message);
    flash(e.message, 'error');
  }

  async function saveDraft() {
    const det = state.detail;
    if (!det || det.busy || !canActOn(det.data.draft)) return;
    const dr = det.data.draft;
    const changes = changedFields();
    if (!Object.keys(changes).length) {
      flash('Tidak ada perubahan untuk disimpan.', 'info');
      return;
    }
    showFormError('');
    setBusy(true);
    try {
      const { data } = await api('PATCH', '/drafts/' + dr.id, { version: dr.version, ...changes });
      if (state.detail !== det) return;
      const y = window.scrollY;
      renderDetail(data);
      window.scrollTo(0, y);
      flash(`Perubahan draf #${dr.id} disimpan.`, 'ok');
      loadQueue(false).catch(() => {});
    } catch (e) {
      if (state.detail === det) handleDetailError(e);
    } finally {
      if (state.detail === det) setBusy(false);
    }
  }

  function reasonOf(kind) {
    const typed = ($('#' + kind + '-reason-text') || {}).value || '';
    const chosen = ($('#' + kind + '-reason') || {}).value || '';
    return typed.trim() || chosen;
  }

  async function doAction(kind) {
    const det = state.detail;
    if (!det || det.busy) return;
    const dr = det.data.draft;
    if (!canActOn(dr)) {
      flash(isAdmin() ? 'Draf ini sudah diputuskan.' : 'Anda tidak berhak mengubah draf ini.', 'error');
      return;
    }
    const body = { version: dr.version };
    let done;
    if (kind === 'confirm') {
      Object.assign(body, readForm());
      done = `Draf #${dr.id} dikonfirmasi dan didisposisikan.`;
    } else if (kind === 'return' || kind === 'reject') {
      const reason = reasonOf(kind);
      if (!reason) {
        flash(kind === 'return' ? 'Pilih atau tulis alasan pengembalian.' : 'Pilih atau tulis alasan penolakan.', 'error');
        $('#' + kind + '-reason').focus();
        return;
      }
      body.reason = reason;
      done = kind === 'return' ? `Draf #${dr.id} dikembalikan ke pemohon.` : `Draf #${dr.id} ditolak.`;
    } else if (kind === 'duplicate') {
      const raw = $('#duplicate-of').value.trim();
      const of = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!(of > 0)) {
        flash('Isi nomor draf asli (angka).', 'error');
        $('#duplicate-of').focus();
        return;
      }
      if (of === dr.id) {
        flash('Draf tidak dapat menjadi duplikat dirinya sendiri.', 'error');
        return;
      }
      body.of = of;
      done = `Draf #${dr.id} ditandai duplikat dari #${of}.`;
    } else {
      return;
    }
    showFormError('');
    setBusy(true);
    try {
      await api('POST', `/drafts/${dr.id}/${kind}`, body);
      flash(done, 'ok');
      await goToNextPending(dr.id);
    } catch (e) {
      if (state.detail === det) handleDetailError(e);
    } finally {
      if (state.detail === det) setBusy(false);
    }
  }

  // After a decision: the next pending draft in the queue order, else the queue.
  async function goToNextPending(id) {
    const order = state.queue.items.map((d) => d.id);
    try { await loadQueue(false); } catch (e) { /* shown by the next poll */ }
    loadStats().catch(() => {});
    const items = state.queue.items;
    const pending = new Set(items.filter((d) => d.status === 'pending' && d.id !== id).map((d) => d.id));
    let next = null;
    const idx = order.indexOf(id);
    if (idx >= 0) {
      for (let i = idx + 1; i < order.length && next === null; i++) if (pending.has(order[i])) next = order[i];
    }
    if (next === null) {
      const first = items.find((d) => pending.has(d.id));
      if (first) next = first.id;
    }
    if (next !== null) {
      state.queue.selectedId = next;
      location.hash = '#/draf/' + next;
    } else {
      state.queue.selectedId = null;
      location.hash = '#/';
    }
  }

  function goSibling(delta) {
    const items = state.queue.items;
    if (!state.detail || !items.length) {
      flash('Antrean kosong.', 'info');
      return;
    }
    const idx = items.findIndex((d) => d.id === state.detail.id);
    const target = idx < 0 ? (delta > 0 ? items[0] : items[items.length - 1]) : items[idx + delta];
    if (!target) {
      flash(delta > 0 ? 'Ini draf terakhir di antrean.' : 'Ini draf pertama di antrean.', 'info');
      return;
    }
    openDraft(target.id);
  }

  // Someone else changed the open draft (seen in the polled queue): say so, never overwrite.
  function checkDetailStale() {
    const det = state.detail;
    if (!det || det.staleShown || state.route.name !== 'detail') return;
    const item = state.queue.items.find((d) => d.id === det.id);
    if (item && typeof item.version === 'number' && item.version > det.data.draft.version) {
      det.staleShown = true;
      showConflict('Draf ini baru saja diubah oleh pengguna lain. Muat ulang untuk melihat versi terbaru sebelum melanjutkan.');
    }
  }

  // ---------------------------------------------------------------- manual entry

  function buildNewView() {
    const meta = state.meta || {};
    const kanal = Array.isArray(meta.kanal) && meta.kanal.length ? meta.kanal : DEFAULT_KANAL;
    const admin = isAdmin();
    const field = (id, label, ctl, required) => h('div', { class: 'field' },
      h('label', { for: id }, label, required ? h('span', { class: 'req' }, ' *') : null), ctl);
    const form = h('form', { id: 'manual-form', class: 'card manual', novalidate: true, onsubmit: submitManual },
      h('p', { class: 'muted' }, 'Tempel tautan dan teks unggahan yang tidak terambil otomatis. Draf baru masuk ke antrean.'),
      field('m-url', 'Tautan unggahan', h('input', { id: 'm-url', type: 'url', placeholder: 'https://…', autocomplete: 'off', disabled: !admin })),
      field('m-text', 'Teks unggahan', h('textarea', { id: 'm-text', rows: '7', required: true, disabled: !admin }), true),
      field('m-kanal', 'Kanal', h('select', { id: 'm-kanal', disabled: !admin },
        kanal.map((k) => option(k, KANAL_LABEL[k] || k, k === 'manual')))),
      h('div', { class: 'field-row' },
        field('m-nama', 'Nama', h('input', { id: 'm-nama', type: 'text', autocomplete: 'off', disabled: !admin })),
        field('m-alamat', 'Alamat', h('input', { id: 'm-alamat', type: 'text', autocomplete: 'off', disabled: !admin }))),
      h('p', { id: 'm-error', class: 'form-error', role: 'alert', hidden: true }),
      admin ? h('div', { class: 'form-actions' }, h('button', { id: 'm-submit', type: 'submit', class: 'btn btn-primary' }, 'Buat draf'))
        : h('p', { class: 'muted' }, 'Hanya Admin Utama yang dapat membuat entri manual.'));
    $('#view-new').replaceChildren(h('div', { class: 'view-head' }, h('h2', null, 'Entri manual')), form);
  }

  async function submitManual(ev) {
    ev.preventDefault();
    if (!isAdmin()) return;
    const err = $('#m-error');
    const text = $('#m-text').value;
    if (!text.trim()) {
      err.textContent = 'Teks unggahan wajib diisi.';
      err.hidden = false;
      $('#m-text').focus();
      return;
    }
    const body = { text, kanal: $('#m-kanal').value };
    const url = $('#m-url').value.trim();
    const nama = $('#m-nama').value.trim();
    const alamat = $('#m-alamat').value.trim();
    if (url) body.url = url;
    if (nama) body.nama = nama;
    if (alamat) body.alamat = alamat;
    err.hidden = true;
    const btn = $('#m-submit');
    btn.disabled = true;
    try {
      const { data } = await api('POST', '/drafts', body);
      const id = data && data.draft ? data.draft.id : null;
      $('#manual-form').reset();
      $('#m-kanal').value = 'manual';
      flash(id != null ? `Draf #${id} dibuat.` : 'Draf dibuat.', 'ok');
      loadQueue(false).catch(() => {});
      loadStats().catch(() => {});
      if (id != null) {
        state.queue.selectedId = id;
        location.hash = '#/draf/' + id;
      }
    } catch (e) {
      if (e.status === 401) return;
      err.textContent = e.message;
      err.hidden = false;
      flash(e.message, 'error');
    } finally {
      btn.disabled = false;
    }
  }

  // ---------------------------------------------------------------- rule quality

  async function loadQuality() {
    const view = $('#view-quality');
    const head = h('div', { class: 'view-head' }, h('h2', null, 'Kualitas aturan'),
      h('span', { class: 'muted' }, 'Diurutkan dari presisi terendah.'));
    view.replaceChildren(head, h('p', { class: 'muted' }, 'Memuat…'));
    let data;
    try {
      ({ data } = await api('GET', '/rules/quality'));
    } catch (e) {
      if (e.status === 401) return;
      view.replaceChildren(head, h('p', { class: 'empty' }, e.message));
      reportError(e);
      return;
    }
    if (state.route.name !== 'quality') return;
    const rules = data && Array.isArray(data.rules) ? data.rules : [];
    const num = (v) => h('td', { class: 'num' }, typeof v === 'number' ? String(v) : '-');
    const body = h('tbody', null, rules.map((r) => {
      const p = typeof r.precision === 'number' && Number.isFinite(r.precision) ? r.precision : null;
      const cls = p === null ? '' : p < 0.5 ? 'prec-low' : p < 0.8 ? 'prec-mid' : 'prec-high';
      return h('tr', null,
        h('td', { class: 'mono' }, String(r.id)), h('td', null, String(r.kind || '-')),
        num(r.drafts), num(r.confirmed), num(r.rejected), num(r.returned), num(r.duplicate), num(r.pending),
        h('td', { class: 'num ' + cls }, p === null ? '-' : (p * 100).toFixed(1) + '%'));
    }));
    view.replaceChildren(head, rules.length === 0 ? h('p', { class: 'muted' }, 'Belum ada data.')
      : h('table', { class: 'grid', id: 'quality-table' },
        h('thead', null, h('tr', null,
          h('th', null, 'Aturan'), h('th', null, 'Jenis'), h('th', { class: 'num' }, 'Draf'),
          h('th', { class: 'num' }, 'Dikonfirmasi'), h('th', { class: 'num' }, 'Ditolak'),
          h('th', { class: 'num' }, 'Dikembalikan'), h('th', { class: 'num' }, 'Duplikat'),
          h('th', { class: 'num' }, 'Menunggu'), h('th', { class: 'num' }, 'Presisi'))),
        body));
  }

  // ---------------------------------------------------------------- keyboard

  function isTyping(el) {
    if (!el || el === document.body) return false;
    const tag = el.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
  }

  function toggleHelp(show) {
    const help = $('#help');
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  function onKey(ev) {
    if (!state.user || $('#app').hidden) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const target = ev.target;
    if (isTyping(target)) {
      if (ev.key === 'Escape') target.blur();
      return;
    }
    const key = ev.key;
    if (key === '?') {
      toggleHelp();
      ev.preventDefault();
      return;
    }
    if (key === 'Escape' && !$('#help').hidden) {
      toggleHelp(false);
      ev.preventDefault();
      return;
    }
    const r = state.route.name;
    let handled = true;
    if (r === 'queue') {
      if (key === 'j' || key === 'ArrowDown') moveSelection(1);
      else if (key === 'k' || key === 'ArrowUp') moveSelection(-1);
      else if (key === 'Enter' || key === 'o') {
        // Enter on a focused link or button keeps its own meaning.
        if (key === 'Enter' && target && (target.tagName === 'A' || target.tagName === 'BUTTON')) handled = false;
        else openSelected();
      } else if (key === '/') $('#flt-q').focus();
      else handled = false;
    } else if (r === 'detail') {
      if (key === 'j') goSibling(1);
      else if (key === 'k') goSibling(-1);
      else if (key === 'c') doAction('confirm');
      else if (key === 'x') {
        const sel = $('#reject-reason');
        if (sel) { sel.focus(); sel.scrollIntoView({ block: 'center' }); } else handled = false;
      } else if (key === 'Escape' || key === 'u') location.hash = '#/';
      else handled = false;
    } else if (key === 'Escape' || key === 'u') {
      location.hash = '#/';
    } else {
      handled = false;
    }
    if (handled) ev.preventDefault();
  }

  // ---------------------------------------------------------------- boot

  async function init() {
    $('#login-form').addEventListener('submit', submitLogin);
    $('#btn-logout').addEventListener('click', logout);
    $('#flash-close').addEventListener('click', hideFlash);
    $('#help-close').addEventListener('click', () => toggleHelp(false));
    window.addEventListener('hashchange', () => { route().catch(reportError); });
    document.addEventListener('keydown', onKey);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && state.user) pollOnce().catch(() => {});
    });
    try {
      const { data } = await api('GET', '/session', undefined, { allow401: true });
      await startApp(data);
    } catch (e) {
      resetAppState();
      showLogin(e.status === 401 ? '' : e.message);
    }
  }

  init();
})();
