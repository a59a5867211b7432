// The officer's work list (GET /api/v1/desk): views, punctuality colours, paging by `next`.
import { api, el, errorText, frame, identity, named, names as codeNames, onLanguage, signInBox, statusLabel, t, tx, when, words, workingTime } from './desk.js';

words({
  worklist: { vi: 'Hồ sơ cần xử lý', en: 'Dossiers to handle' },
  view_open: { vi: 'Đang xử lý', en: 'Open' },
  view_due_soon: { vi: 'Sắp đến hạn', en: 'Due soon' },
  view_late: { vi: 'Quá hạn', en: 'Late' },
  view_suspended: { vi: 'Tạm dừng', en: 'Suspended' },
  legend_green: { vi: 'còn hơn 1 ngày làm việc', en: 'more than a working day left' },
  legend_amber: { vi: 'còn 1 ngày làm việc trở xuống', en: 'a working day or less' },
  legend_red: { vi: 'quá hạn', en: 'late' },
  legend_grey: { vi: 'tạm dừng tính thời gian', en: 'clock suspended' },
  col_id: { vi: 'Mã hồ sơ', en: 'Dossier' },
  col_procedure: { vi: 'Thủ tục', en: 'Procedure' },
  col_status: { vi: 'Trạng thái', en: 'Status' },
  col_unit: { vi: 'Đơn vị', en: 'Unit' },
  col_appointment: { vi: 'Ngày hẹn trả', en: 'Appointment' },
  col_left: { vi: 'Thời gian còn lại', en: 'Working time left' },
  page_first: { vi: 'Trang đầu', en: 'First page' },
  page_next: { vi: 'Trang sau', en: 'Next page' },
  page: { vi: 'Trang', en: 'Page' },
  empty: { vi: 'Không có hồ sơ nào trong danh sách này.', en: 'No dossiers in this list.' },
  sign_in_officer: { vi: 'Hãy đăng nhập với vai trò cán bộ để xem danh sách.', en: 'Sign in as an officer to see the list.' },
  signal_green: { vi: 'Trong hạn', en: 'On time' },
  signal_amber: { vi: 'Sắp đến hạn', en: 'Due soon' },
  signal_red: { vi: 'Quá hạn', en: 'Late' },
  signal_grey: { vi: 'Tạm dừng', en: 'Suspended' },
});

frame();
const params = new URLSearchParams(location.search);
const PAGE_SIZE = Number(params.get('limit') ?? 20);
let view = params.get('view') ?? 'open';
let cursors = [null]; // the `after` of each page seen; the last is the current page
let next = null;
let rows = [];
let names = new Map(); // procedure code → name
let known = { units: {} }; // names of units, agencies, roles
let message = '';

async function loadNames() {
  try {
    const { body } = await api('/api/v1/procedures');
    names = new Map(body.map((p) => [p.code, p.name]));
  } catch { /* names are a nicety */ }
  known = await codeNames();
}

async function load() {
  const who = identity();
  rows = [];
  next = null;
  if (!who || !who.agency) {
    message = t('sign_in_officer');
    draw();
    return;
  }
  const q = new URLSearchParams({ view, limit: String(PAGE_SIZE) });
  const after = cursors.at(-1);
  if (after) q.set('after', after);
  try {
    const { body } = await api(`/api/v1/desk?${q}`);
    rows = body.rows;
    next = body.next ?? null;
    message = rows.length ? '' : t('empty');
  } catch (e) {
    message = errorText(e);
  }
  draw();
}

function draw() {
  for (const b of document.querySelectorAll('[data-view]')) b.classList.toggle('active', b.dataset.view === view);
  const body = document.querySelector('#desk tbody');
  body.replaceChildren(...rows.map((r) => el('tr', { 'data-id': r.id, 'data-signal': r.signal, class: `row-${r.signal}` },
    el('td', {}, el('span', { class: `signal ${r.signal}`, title: t(`signal_${r.signal}`) }), el('span', { class: 'sr' }, t(`signal_${r.signal}`))),
    el('td', { class: 'id' }, el('a', { href: `/desk/dossier?id=${encodeURIComponent(r.id)}` }, r.id)),
    el('td', {}, `${r.procedure} `, el('small', {}, tx(names.get(r.procedure)))),
    el('td', { class: 'status' }, statusLabel(r.status)),
    el('td', { class: 'unit', title: r.unit ?? '' }, named(known.units, r.unit)),
    el('td', { class: 'appointment' }, when(r.appointment)),
    el('td', { class: 'left' }, workingTime(r.working_minutes_left)),
  )));
  document.getElementById('desk-message').textContent = message;
  document.getElementById('next').disabled = !next;
  document.getElementById('first').disabled = cursors.length <= 1;
  document.getElementById('page-info').textContent = `${t('page')} ${cursors.length}`;
  document.body.dataset.ready = 'true';
  document.body.dataset.rows = String(rows.length);
}

for (const b of document.querySelectorAll('[data-view]')) {
  b.addEventListener('click', () => {
    view = b.dataset.view;
    cursors = [null];
    history.replaceState(null, '', `?view=${view}`);
    load();
  });
}
document.getElementById('next').addEventListener('click', () => {
  if (!next) return;
  cursors.push(next);
  load();
});
document.getElementById('first').addEventListener('click', () => {
  cursors = [null];
  load();
});

signInBox(() => {
  cursors = [null];
  load();
});
onLanguage(draw);
await loadNames();
await load();
