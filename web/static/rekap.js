// sambatd — the "Rekap" page: the monthly recap of GET /api/v1/rekap as tables and SVG charts.
//
// Loaded before app.js, which calls SambatRekap.show(view, deps) for #/rekap. The same
// security contract as app.js: data only through textContent / text nodes and DOM APIs (SVG
// elements included), no inline styles or handlers, no external libraries.
'use strict';

window.SambatRekap = (() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September',
    'Oktober', 'November', 'Desember'];
  const STATUS = [['confirmed', 'Dikonfirmasi'], ['rejected', 'Ditolak'], ['returned', 'Dikembalikan ke pemohon'],
    ['duplicate', 'Duplikat'], ['pending', 'Menunggu']];
  const KANAL = { x: 'X', facebook: 'Facebook', instagram: 'Instagram', manual: 'Entri manual' };
  const STAGE = {
    konfirmasi: 'Konfirmasi Admin Utama', diterima_opd: 'Diterima Admin OPD',
    koordinasi: 'Koordinasi Pejabat Penghubung', ditindaklanjuti: 'Tindak lanjut Kepala OPD',
    selesai: 'Diteruskan dan diinput (selesai)', total: 'Seluruh SOP',
  };
  const NOT_FILLED = '(belum diisi)';

  let month = '';  // what the picker shows; '' until the first answer names the current month
  let seq = 0;     // a slower, older answer must not replace a newer one

  const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const minutes = (ms) => (typeof ms === 'number' ? (ms / 60000).toFixed(1).replace('.', ',') + ' menit' : '-');
  const percent = (part, whole) => (whole > 0 ? ((100 * part) / whole).toFixed(1).replace('.', ',') + '%' : '-');
  const monthTitle = (m) => {
    const r = /^(\d{4})-(\d{2})$/.exec(m || '');
    return r ? `${MONTHS[Number(r[2]) - 1]} ${r[1]}` : String(m);
  };

  function svg(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    for (const c of children) {
      if (c === null || c === undefined) continue;
      el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  // Horizontal bars, one per OPD (largest first, as the API sends them).
  function opdChart(rows, opdName) {
    const shown = rows.slice(0, 15);
    const max = Math.max(1, ...shown.map((r) => num(r.total)));
    const rowH = 24, labelW = 190, barW = 420, width = labelW + barW + 50;
    const height = Math.max(1, shown.length) * rowH + 8;
    const chart = svg('svg', {
      id: 'rekap-chart-opd', class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': 'Jumlah aduan per OPD',
    });
    shown.forEach((r, i) => {
      const y = i * rowH + 4;
      const code = r.key === null ? NOT_FILLED : String(r.key);
      const w = Math.max(1, Math.round((num(r.total) / max) * barW));
      const name = r.key === null ? null : opdName(r.key);
      chart.appendChild(svg('text', { x: labelW - 6, y: y + 15, class: 'chart-label', 'text-anchor': 'end' }, code));
      chart.appendChild(svg('rect', { x: labelW, y, width: w, height: rowH - 6, class: 'chart-bar' },
        svg('title', null, `${name ? code + ' — ' + name : code}: ${num(r.total)} aduan`)));
      chart.appendChild(svg('text', { x: labelW + w + 4, y: y + 15, class: 'chart-value' }, num(r.total)));
    });
    return chart;
  }

  // One bar per WIB day for captured complaints, a line for confirmations made that day.
  function dailyChart(days) {
    const n = Math.max(1, days.length);
    const max = Math.max(1, ...days.map((d) => Math.max(num(d.captured), num(d.confirmed))));
    const left = 34, top = 10, plotH = 160, slot = 20, width = left + n * slot + 10, height = top + plotH + 26;
    const y = (v) => top + plotH - (v / max) * plotH;
    const chart = svg('svg', {
      id: 'rekap-chart-daily', class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': 'Tren harian: aduan tertangkap dan konfirmasi per hari (WIB)',
    });
    chart.appendChild(svg('line', { x1: left, y1: top + plotH, x2: width - 6, y2: top + plotH, class: 'chart-axis' }));
    chart.appendChild(svg('text', { x: left - 4, y: top + 8, class: 'chart-value', 'text-anchor': 'end' }, max));
    chart.appendChild(svg('text', { x: left - 4, y: top + plotH, class: 'chart-value', 'text-anchor': 'end' }, 0));
    const points = [];
    days.forEach((d, i) => {
      const x = left + i * slot;
      const hgt = top + plotH - y(num(d.captured));
      chart.appendChild(svg('rect', { x: x + 3, y: y(num(d.captured)), width: slot - 6, height: Math.max(0, hgt), class: 'chart-bar chart-day' },
        svg('title', null, `${d.date}: ${num(d.captured)} tertangkap, ${num(d.confirmed)} dikonfirmasi`)));
      points.push(`${x + slot / 2},${y(num(d.confirmed))}`);
      const day = String(d.date).slice(8);
      if (i % 5 === 0 || i === days.length - 1) {
        chart.appendChild(svg('text', { x: x + slot / 2, y: top + plotH + 16, class: 'chart-value', 'text-anchor': 'middle' }, day));
      }
    });
    chart.appendChild(svg('polyline', { points: points.join(' '), class: 'chart-line' }));
    return chart;
  }

  function table(id, headings, rows) {
    const { h } = deps;
    return h('table', { class: 'grid compact rekap-table', id },
      h('thead', null, h('tr', null, headings.map((t, i) => h('th', { class: i === 0 ? null : 'num' }, t)))),
      h('tbody', null, rows.map((cells) => h('tr', null, cells.map((c, i) => h('td', { class: i === 0 ? null : 'num' }, c))))));
  }

  function breakdown(id, title, rows, label) {
    const { h } = deps;
    const headings = [title, 'Jumlah', ...STATUS.map(([, t]) => t)];
    return h('section', { class: 'card rekap-section' }, h('h3', null, 'Per ' + title),
      rows.length === 0 ? h('p', { class: 'muted' }, 'Tidak ada aduan.')
        : table(id, headings, rows.map((r) => [r.key === null ? NOT_FILLED : label(r.key), num(r.total),
          ...STATUS.map(([k]) => num(r[k]))])));
  }

  let deps = null;

  function render(view, data) {
    const { h, opdName } = deps;
    const t = data.totals || {};
    const c = data.capture_to_confirm || {};
    const figure = (label, value, cls) => h('div', { class: 'rekap-figure ' + (cls || '') },
      h('span', { class: 'rekap-figure-value' }, value), h('span', { class: 'rekap-figure-label' }, label));
    const days = Array.isArray(data.daily) ? data.daily : [];
    const opd = Array.isArray(data.by_opd) ? data.by_opd : [];
    const sla = Array.isArray(data.sla) ? data.sla : [];
    const top = Array.isArray(data.top_locations) ? data.top_locations : [];
    view.appendChild(h('div', { id: 'rekap-body' },
      h('h2', { class: 'rekap-title' }, 'Rekap Bulanan Aduan ' + monthTitle(data.month)),
      h('p', { class: 'muted', id: 'rekap-note' },
        `Aduan yang tertangkap 1–${days.length} ${monthTitle(data.month)} menurut waktu WIB (UTC+7), masing-masing ` +
        'dihitung sekali menurut statusnya saat ini. Waktu dan SLA dihitung dari aduan yang dikonfirmasi; ' +
        'tren harian menghitung konfirmasi menurut hari dibuatnya.'),
      h('div', { class: 'rekap-figures', id: 'rekap-figures' },
        figure('Aduan tertangkap', num(t.total)),
        figure('Dikonfirmasi', num(t.confirmed), 'ok'),
        figure('Ditolak', num(t.rejected)),
        figure('Dikembalikan ke pemohon', num(t.returned)),
        figure('Duplikat', num(t.duplicate)),
        figure('Menunggu', num(t.pending)),
        figure('Pernah dikembalikan OPD', num(data.returned_by_opd)),
        figure('Median tangkap → konfirmasi', minutes(c.median_ms)),
        figure('Persentil ke-90', minutes(c.p90_ms))),
      h('div', { class: 'rekap-charts' },
        h('section', { class: 'card rekap-section' }, h('h3', null, 'Aduan per OPD'),
          opd.length ? opdChart(opd, opdName) : h('p', { class: 'muted' }, 'Tidak ada aduan.')),
        h('section', { class: 'card rekap-section' }, h('h3', null, 'Tren harian (WIB)'),
          dailyChart(days),
          h('p', { class: 'chart-legend' }, h('span', { class: 'legend-bar' }, 'aduan tertangkap'), ' ',
            h('span', { class: 'legend-line' }, 'konfirmasi dibuat')))),
      breakdown('rekap-opd', 'OPD', opd, (k) => (opdName(k) ? `${k} — ${opdName(k)}` : k)),
      breakdown('rekap-kanal', 'Kanal', data.by_kanal || [], (k) => KANAL[k] || k),
      breakdown('rekap-kategori', 'Kategori', data.by_kategori || [], (k) => k),
      breakdown('rekap-kecamatan', 'Kecamatan', data.by_kecamatan || [], (k) => k),
      h('section', { class: 'card rekap-section' }, h('h3', null, 'Per Status'),
        table('rekap-status', ['Status', 'Jumlah', 'Persen'],
          STATUS.map(([k, label]) => [label, num(t[k]), percent(num(t[k]), num(t.total))]))),
      h('section', { class: 'card rekap-section' }, h('h3', null, 'SLA per tahap SOP'),
        table('rekap-sla', ['Tahap', 'Batas', 'Tepat waktu', 'Terlambat', 'Berjalan', 'Persen tepat waktu'],
          sla.map((s) => [STAGE[s.stage] || String(s.stage), minutes(s.limit_ms), num(s.met), num(s.late), num(s.open),
            percent(num(s.met), num(s.met) + num(s.late))]))),
      h('section', { class: 'card rekap-section' }, h('h3', null, 'Lokasi teratas'),
        top.length === 0 ? h('p', { class: 'muted' }, 'Tidak ada lokasi tercatat.')
          : table('rekap-lokasi', ['Kecamatan', 'Desa/Kelurahan', 'Jumlah'],
            top.map((l) => [String(l.kecamatan), l.desa === null ? '-' : String(l.desa), num(l.count)]))),
      h('section', { class: 'card rekap-section' }, h('h3', null, 'Tren harian'),
        table('rekap-harian', ['Tanggal (WIB)', 'Aduan tertangkap', 'Konfirmasi dibuat'],
          days.map((d) => [String(d.date), num(d.captured), num(d.confirmed)])))));
  }

  function controls(view) {
    const { h } = deps;
    const q = month ? '?month=' + encodeURIComponent(month) : '';
    const picker = h('input', { type: 'month', id: 'rekap-month', value: month, 'aria-label': 'Bulan', required: true });
    picker.addEventListener('change', () => {
      if (/^\d{4}-\d{2}$/.test(picker.value)) {
        month = picker.value;
        show(view, deps);
      }
    });
    return h('div', { class: 'view-head rekap-controls' },
      h('h2', null, 'Rekap bulanan'),
      h('label', { for: 'rekap-month' }, 'Bulan '), picker,
      h('a', { class: 'btn btn-small', id: 'rekap-csv', href: '/api/v1/rekap.csv' + q, download: '' }, 'Unduh CSV'),
      h('a', { class: 'btn btn-small', id: 'rekap-xlsx', href: '/api/v1/rekap.xlsx' + q, download: '' }, 'Unduh XLSX'),
      h('button', { type: 'button', class: 'btn btn-small', id: 'rekap-print', onclick: () => window.print() }, 'Cetak'));
  }

  // deps: { api, h, opdName(code), isCurrent() }.
  async function show(view, d) {
    deps = d;
    const mine = ++seq;
    view.replaceChildren(controls(view), deps.h('p', { class: 'muted' }, 'Memuat…'));
    let data;
    try {
      ({ data } = await deps.api('GET', '/rekap' + (month ? '?month=' + encodeURIComponent(month) : '')));
    } catch (e) {
      if (mine !== seq || e.status === 401) return;
      view.replaceChildren(controls(view), deps.h('p', { class: 'empty' }, e.message));
      throw e;
    }
    if (mine !== seq || !deps.isCurrent()) return;
    if (!month && data && typeof data.month === 'string') month = data.month;
    view.replaceChildren(controls(view));
    render(view, data || {});
  }

  return { show };
})();
