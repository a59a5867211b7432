// One dossier: status, appointment, the process-control record and the events, the
// documents, and the actions the caller may take (GET …/actions, each dry-run by the engine)
// as buttons posting the command with If-Match and a fresh Idempotency-Key.
import { named, names, api, el, errorText, frame, freshKey, identity, onLanguage, signInBox, statusLabel, t, tx, when, words } from './desk.js';

words({
  dossier: { vi: 'Hồ sơ', en: 'Dossier' },
  status: { vi: 'Trạng thái', en: 'Status' },
  appointment: { vi: 'Ngày hẹn trả kết quả', en: 'Appointment' },
  first_appointment: { vi: 'hẹn lần đầu', en: 'first appointment' },
  submitted: { vi: 'Ngày nộp', en: 'Submitted' },
  jurisdiction: { vi: 'Nơi tiếp nhận', en: 'Filed with' },
  active_steps: { vi: 'Đang ở bước', en: 'Active steps' },
  version: { vi: 'Phiên bản', en: 'Version' },
  actions: { vi: 'Thao tác', en: 'Actions' },
  no_actions: { vi: 'Hồ sơ không còn thao tác nào.', en: 'No actions are open on this dossier.' },
  not_allowed: { vi: 'không được phép', en: 'not allowed' },
  done: { vi: 'Đã thực hiện', en: 'Done' },
  timeline: { vi: 'Phiếu kiểm soát quá trình', en: 'Process-control record' },
  col_step: { vi: 'Bước', en: 'Step' },
  col_agency: { vi: 'Cơ quan', en: 'Agency' },
  col_unit: { vi: 'Đơn vị', en: 'Unit' },
  col_entered: { vi: 'Nhận lúc', en: 'Entered' },
  col_left: { vi: 'Chuyển lúc', en: 'Left' },
  col_action: { vi: 'Thao tác', en: 'Action' },
  col_by: { vi: 'Người thực hiện', en: 'By' },
  waiting: { vi: 'đang chờ xử lý', en: 'waiting' },
  events: { vi: 'Lịch sử sự kiện', en: 'Events' },
  documents: { vi: 'Thành phần hồ sơ', en: 'Documents' },
  form_data: { vi: 'Dữ liệu tờ khai', en: 'Form data' },
  from_database: { vi: 'lấy từ CSDL', en: 'from the database' },
  closed: { vi: 'Đã kết thúc', en: 'Closed' },
  withdraw: { vi: 'Yêu cầu rút hồ sơ', en: 'Request withdrawal' },
  confirm_withdrawal: { vi: 'Đồng ý rút hồ sơ', en: 'Confirm withdrawal' },
  decline_withdrawal: { vi: 'Không đồng ý rút hồ sơ', en: 'Decline withdrawal' },
  extend: { vi: 'Gia hạn (phiếu xin lỗi và hẹn lại)', en: 'Extend (apology and new appointment)' },
  new_appointment: { vi: 'Ngày hẹn mới', en: 'New appointment' },
  reason: { vi: 'Lý do', en: 'Reason' },
  no_id: { vi: 'Thiếu mã hồ sơ (?id=…).', en: 'No dossier id (?id=…).' },
  ev_submitted: { vi: 'Nộp hồ sơ', en: 'Submitted' },
  ev_action_taken: { vi: 'Thao tác', en: 'Action' },
  ev_withdrawal_requested: { vi: 'Yêu cầu rút hồ sơ', en: 'Withdrawal requested' },
  ev_withdrawal_declined: { vi: 'Không đồng ý rút', en: 'Withdrawal declined' },
  ev_withdrawn: { vi: 'Đã rút hồ sơ', en: 'Withdrawn' },
  ev_extended: { vi: 'Gia hạn', en: 'Extended' },
  ev_timer_fired: { vi: 'Tự động theo thời hạn', en: 'Timer fired' },
});

frame();
const id = new URLSearchParams(location.search).get('id');
let state = null; // {dossier, etag, actions, events, info}
let lastResult = '';

const stepName = (step) => tx(state?.info?.steps?.[step]?.name) || step;
const actionName = (step, action) => tx(state?.info?.steps?.[step]?.actions?.[action]?.name) || action;
let known = { agencies: {}, roles: {}, units: {} }; // names of the codes (GET /api/v1/names)
const agencyName = (agency) => named(known.agencies, agency);
const unitName = (unit) => named(known.units, unit);
const actor = (a) => a ? [a.user, named(known.roles, a.role), a.agency && agencyName(a.agency), a.unit && unitName(a.unit)].filter(Boolean).join(' · ') : '';

async function load() {
  const error = document.getElementById('load-error');
  error.textContent = '';
  document.body.dataset.ready = 'false';
  if (!id) {
    error.textContent = t('no_id');
    return;
  }
  if (!identity()) {
    document.getElementById('dossier').classList.add('hidden');
    error.textContent = t('not_signed_in');
    document.body.dataset.ready = 'true';
    return;
  }
  try {
    const path = `/api/v1/dossiers/${encodeURIComponent(id)}`;
    const { body: dossier, etag } = await api(path);
    const [actions, events, procedure, codes] = await Promise.all([
      api(`${path}/actions`).then((r) => r.body),
      api(`${path}/history`).then((r) => r.body),
      api(`/api/v1/procedures/${encodeURIComponent(dossier.procedure)}?version=${encodeURIComponent(dossier.procedure_version)}`).then((r) => r.body).catch(() => null),
      names(),
    ]);
    known = codes;
    state = { dossier, etag, actions, events, info: procedure?.info, name: procedure?.info?.name };
    draw();
  } catch (e) {
    state = null;
    document.getElementById('dossier').classList.add('hidden');
    error.textContent = errorText(e);
    document.body.dataset.ready = 'true';
  }
}

async function send(kind, label) {
  const error = document.getElementById('action-error');
  error.textContent = '';
  for (const b of document.querySelectorAll('#actions button, #other-commands button')) b.disabled = true;
  try {
    await api(`/api/v1/dossiers/${encodeURIComponent(id)}/commands`, {
      method: 'POST', body: kind,
      headers: { 'if-match': state.etag ?? `"${state.dossier.version}"`, 'idempotency-key': freshKey('desk') },
    });
    lastResult = `${t('done')}: ${label}`;
    await load();
  } catch (e) {
    // Shown after the reload: the dossier as it stands now, and why the command was refused.
    lastResult = '';
    await load();
    document.getElementById('action-error').textContent = errorText(e);
    document.body.dataset.refused = e.body?.code ?? 'error';
  }
}

function draw() {
  const { dossier: d, actions, events } = state;
  document.getElementById('dossier').classList.remove('hidden');
  document.getElementById('dossier-id').textContent = d.id;
  document.getElementById('procedure-name').textContent = `${d.procedure} (${d.procedure_version}) — ${tx(state.name)}`;
  const status = document.getElementById('status');
  status.textContent = statusLabel(d.status) + (d.closure ? ` · ${t('closed')}: ${tx(state.info?.outcomes?.[d.closure.outcome]?.name) || d.closure.outcome}` : '');
  status.dataset.code = String(d.status);
  const deadline = d.deadline ?? {};
  document.getElementById('appointment').textContent = when(deadline.appointment)
    + (deadline.extended && deadline.first_appointment ? ` (${t('first_appointment')} ${when(deadline.first_appointment)})` : '');
  document.getElementById('submitted').textContent = when(d.submitted_at);
  document.getElementById('jurisdiction').textContent = `${unitName(d.jurisdiction)} (${d.jurisdiction})`;
  document.getElementById('active').replaceChildren(...(d.active ?? []).map((a) =>
    el('span', { class: 'chip', 'data-step': a.step }, `${stepName(a.step)}${a.unit ? ' · ' + unitName(a.unit) : ''}${a.due ? ' · ' + when(a.due) : ''}`)));
  if (!(d.active ?? []).length) document.getElementById('active').textContent = '—';
  document.getElementById('version').textContent = String(d.version);

  // Actions: every action of the active steps, disabled with the engine's code when refused.
  const box = document.getElementById('actions');
  box.replaceChildren(...actions.map((a) => el('button', {
    type: 'button', 'data-action': a.action, 'data-step': a.step, disabled: !a.allowed,
    class: a.allowed ? '' : 'refused', title: a.allowed ? '' : a.code,
    onclick: () => send({ type: 'act', action: a.action, step: a.step }, tx(a.name)),
  }, `${tx(a.name)}`, el('small', {}, ` (${tx(a.step_name)})`), a.allowed ? null : el('code', {}, ` ${t('not_allowed')}: ${a.code}`))));
  if (!actions.length) box.append(el('p', { class: 'sub' }, t('no_actions')));

  // Other commands: withdrawal and extension.
  const who = identity();
  const other = document.getElementById('other-commands');
  other.replaceChildren();
  if (!d.closure) {
    if (who && !who.agency && !d.withdrawal_requested) {
      other.append(el('button', { type: 'button', class: 'secondary', id: 'withdraw',
        onclick: () => send({ type: 'request_withdrawal' }, t('withdraw')) }, t('withdraw')));
    }
    if (who?.agency && d.withdrawal_requested) {
      other.append(
        el('button', { type: 'button', id: 'confirm-withdrawal', onclick: () => send({ type: 'confirm_withdrawal' }, t('confirm_withdrawal')) }, t('confirm_withdrawal')),
        el('button', { type: 'button', class: 'secondary', id: 'decline-withdrawal', onclick: () => send({ type: 'decline_withdrawal' }, t('decline_withdrawal')) }, t('decline_withdrawal')));
    }
    if (who?.agency) {
      const at = el('input', { type: 'datetime-local', id: 'extend-at' });
      const reason = el('input', { type: 'text', id: 'extend-reason' });
      other.append(el('details', { class: 'extend' }, el('summary', {}, t('extend')),
        el('label', {}, el('span', {}, t('new_appointment')), at),
        el('label', {}, el('span', {}, t('reason')), reason),
        el('button', { type: 'button', id: 'extend', onclick: () => {
          // The local time in the browser is taken as Vietnam time (+07:00).
          const appointment = at.value ? `${at.value.length === 16 ? at.value + ':00' : at.value}+07:00` : '';
          send({ type: 'extend', appointment, reason: reason.value }, t('extend'));
        } }, t('extend'))));
    }
  }
  document.getElementById('action-result').textContent = lastResult;

  // The process-control record, then the steps still open.
  const rows = (d.log ?? []).map((r) => el('tr', { 'data-step': r.step },
    el('td', {}, stepName(r.step)), el('td', {}, agencyName(r.agency)), el('td', { class: 'unit' }, unitName(r.unit)),
    el('td', {}, when(r.entered)), el('td', {}, when(r.left)), el('td', { class: 'action' }, actionName(r.step, r.action)),
    el('td', {}, actor(r.by))));
  for (const a of d.active ?? []) {
    rows.push(el('tr', { class: 'open', 'data-step': a.step },
      el('td', {}, stepName(a.step)), el('td', {}, agencyName(state.info?.steps?.[a.step]?.agency)), el('td', { class: 'unit' }, unitName(a.unit)),
      el('td', {}, when(a.since)), el('td', {}, ''), el('td', { class: 'action' }, t('waiting')), el('td', {}, '')));
  }
  document.querySelector('#timeline tbody').replaceChildren(...rows);

  document.getElementById('events').replaceChildren(...events.map((e) => el('li', { 'data-type': e.type },
    el('b', {}, `#${e.seq} ${t('ev_' + e.type)}`),
    e.type === 'action_taken' || e.type === 'timer_fired' ? ` — ${stepName(e.step)}: ${actionName(e.step, e.action)}` : '',
    e.type === 'extended' ? ` — ${when(e.appointment)} ${e.reason ?? ''}` : '',
    ' · ', when(e.at), ' · ', actor(e.actor))));

  const docs = state.info?.documents ?? {};
  document.getElementById('documents').replaceChildren(...(d.documents ?? []).map((doc) => el('li', { 'data-doc': doc.id },
    el('b', {}, tx(docs[doc.id]?.name) || doc.id), ' ',
    doc.from_database ? el('small', {}, `${t('from_database')} ${doc.from_database}`) : '',
    ...(doc.files ?? []).map((f) => el('small', { class: 'file' }, ` ${f.name} (${f.media_type}, ${Math.round(f.size / 1024)} KiB)`)))));
  document.getElementById('data').textContent = JSON.stringify(d.data, null, 2);
  document.body.dataset.ready = 'true';
  document.body.dataset.status = String(d.status);
}

signInBox(() => {
  lastResult = '';
  load();
});
onLanguage(() => state && draw());
await load();
