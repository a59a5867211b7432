// The citizen's form of any procedure the service runs (`?procedure=<code>`, chosen from the
// list; the birth registration 1.001193 by default): drawn from the spec and validated as the
// citizen types, with the service's own rules, by one of two checkers:
//   - the engine compiled to WASM, when the service serves the browser module under /pkg/
//     (`bindings/wasm/build.sh` builds it): the spec, catalogue and calendars are the exact
//     texts the service loaded (GET /api/v1/procedures/{code}/source), compiled here, so the
//     form is checked on every keystroke without a round trip and works offline once loaded;
//   - otherwise the service itself (POST /api/v1/procedures/{code}/validate, debounced), so a
//     plain `motcua serve` with nothing built beside it still takes dossiers.
// Submitting posts to POST /api/v1/dossiers, where the service validates again with the same
// rules, and shows the dossier id and the appointment. Nothing comes from the internet.
import { api, el, errorText, frame, freshKey, identity, onLanguage, signInBox, t, tx, when, words } from './desk.js';

words({
  sample: { vi: 'Điền dữ liệu mẫu', en: 'Fill in sample data' },
  submit: { vi: 'Nộp hồ sơ', en: 'Submit' },
  checklist: { vi: 'Thành phần hồ sơ', en: 'Documents' },
  valid: { vi: 'Hồ sơ hợp lệ', en: 'The dossier is valid' },
  problems: { vi: 'lỗi cần sửa', en: 'problems to fix' },
  choose: { vi: '— chọn —', en: '— choose —' },
  have: { vi: '✓ đã có', en: '✓ attached' },
  not_needed: { vi: '✓ không cần', en: '✓ not needed' },
  originals: { vi: 'bản chính', en: 'original(s)' },
  copies: { vi: 'bản sao', en: 'cop(ies)' },
  from_db: { vi: 'có thể lấy từ CSDL', en: 'can be taken from the database' },
  optional: { vi: 'không bắt buộc', en: 'optional' },
  submitted_ok: { vi: 'Đã nộp hồ sơ', en: 'Submitted dossier' },
  appointment_is: { vi: 'Ngày hẹn trả kết quả', en: 'Appointment' },
  not_submitted: { vi: 'Chưa nộp được', en: 'Not submitted' },
  sign_in_citizen: { vi: 'Hãy đăng nhập (công dân) trước khi nộp hồ sơ.', en: 'Sign in (as a citizen) before submitting.' },
  working_days: { vi: 'ngày làm việc', en: 'working days' },
  code: { vi: 'Mã thủ tục', en: 'Procedure code' },
  follow: { vi: 'Theo dõi hồ sơ', en: 'Follow the dossier' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  checked_here: { vi: 'Kiểm tra ngay trên trình duyệt (WASM), cùng quy tắc với máy chủ', en: 'Checked in your browser (WASM), with the server\'s rules' },
  checked_there: { vi: 'Kiểm tra bởi máy chủ (chưa có gói WASM cho trình duyệt)', en: 'Checked by the server (no WASM package for the browser)' },
  unchecked: { vi: 'Chưa kiểm tra được', en: 'Could not check' },
});

frame();
const BIRTH = '1.001193'; // the sample data below is this procedure's
const params = new URLSearchParams(location.search);
const CODE = params.get('procedure') ?? BIRTH;
const JURISDICTION = params.get('jurisdiction') ?? '00004';
const today = params.get('today') ?? new Date().toLocaleDateString('sv', { timeZone: 'Asia/Ho_Chi_Minh' });
const $ = (id) => document.getElementById(id);
const json = async (path) => {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
};

// The procedures the service runs: choosing one opens its form.
const names = new Map((await json('/api/v1/procedures')).map((p) => [p.code, p.name]));
function drawChoice() {
  const select = $('procedure');
  select.replaceChildren(...[...names].map(([code, name]) => new Option(`${code} · ${tx(name)}`, code)));
  select.value = CODE;
}
$('procedure').addEventListener('change', (e) => {
  const next = new URLSearchParams(location.search);
  next.set('procedure', e.target.value);
  location.search = next.toString();
});

// The checker: `info` (the spec as the engine reads it, keys in the WASM package's camelCase)
// and `check(data, documents)` → {valid, problems, documentProblems}, documents in that shape.
const checker = await wasmChecker().catch((e) => {
  console.info(`motcua: validating through the service (${e.message})`);
  return serviceChecker();
});
const info = checker.info;
document.body.dataset.validator = checker.where;

// The texts the service compiled this procedure from, compiled here by the WASM engine.
async function wasmChecker() {
  const { Engine } = await import('/pkg/index.js');
  const source = await json(`/api/v1/procedures/${encodeURIComponent(CODE)}/source`);
  const engine = Engine.load({ catalogue: source.catalogue, calendars: source.calendars });
  const procedure = engine.loadProcedure(source.procedure.text, source.procedure.file);
  return {
    where: 'wasm',
    info: procedure.info(),
    check: async (data, documents) => {
      const v = procedure.validateForm(data, documents, today);
      const docs = procedure.checkDocuments(documents, data, today);
      return { valid: v.valid, problems: v.problems, documentProblems: docs.problems };
    },
  };
}

// The service's validator: the same engine, one request per pause in typing.
async function serviceChecker() {
  const got = await json(`/api/v1/procedures/${encodeURIComponent(CODE)}`);
  const spec = got.info;
  const documents = Object.fromEntries(Object.entries(spec.documents ?? {}).map(([id, d]) => [id, {
    ...d, replaceableBy: d.replaceable_by, requiredIf: d.required_if,
  }]));
  const info = { ...spec, legalDeadline: spec.legal_deadline, legalBasis: spec.legal_basis ?? [], documents };
  return {
    where: 'service',
    info,
    check: async (data, docs) => {
      const r = await fetch(`/api/v1/procedures/${encodeURIComponent(CODE)}/validate`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data, documents: forService(docs), today }),
      });
      const body = await r.json();
      if (!r.ok) throw new Error(tx(body.message) || `HTTP ${r.status}`);
      return { valid: body.valid, problems: body.problems, documentProblems: body.problems.filter((p) => p.path.startsWith('$.documents')) };
    },
  };
}
if (info.code !== CODE) throw new Error(`expected procedure ${CODE}, got ${info.code}`);
if (CODE !== BIRTH) $('sample').hidden = true;

// ---- the form, drawn from the spec ----
const inputs = new Map(); // dotted path → {input, field}
const labels = []; // [element, text] redrawn on a language change
const repeated = {}; // repeating groups are not drawn; sample data keeps them

function draw(fields, parent, prefix) {
  for (const [id, field] of Object.entries(fields)) {
    const path = prefix ? `${prefix}.${id}` : id;
    if (field.type === 'group' && field.repeat) { repeated[path] = []; continue; }
    if (field.type === 'attachment') continue;
    if (field.type === 'group') {
      const legend = el('legend');
      labels.push([legend, () => tx(field.label)]);
      const set = el('fieldset', {}, legend, el('div', { class: 'error', id: `e-${path}` }));
      draw(field.fields, set, path);
      parent.append(set);
      continue;
    }
    let input;
    if (field.type === 'code') {
      input = el('select');
      const refill = () => {
        const value = input.value;
        input.replaceChildren(new Option(t('choose'), ''), ...Object.entries(field.codes).map(([code, name]) => new Option(tx(name), code)));
        input.value = value;
      };
      refill();
      labels.push([null, refill]);
    } else if (field.type === 'boolean') {
      input = el('input', { type: 'checkbox' });
    } else {
      input = el('input', { type: field.type === 'date' ? 'date' : 'text' });
    }
    input.id = `f-${path}`;
    input.name = path;
    inputs.set(path, input);
    const span = el('span');
    labels.push([span, () => tx(field.label) + (field.required ? ' *' : '')]);
    parent.append(el('label', { id: `l-${path}` }, span, input, el('div', { class: 'error', id: `e-${path}` })));
  }
}
draw(info.form.fields, $('form'), '');

function collect() {
  const data = structuredClone(repeated);
  for (const [path, input] of inputs) {
    const value = input.type === 'checkbox' ? input.checked : input.value.trim();
    if (value === '') continue;
    const keys = path.split('.');
    let node = data;
    for (const k of keys.slice(0, -1)) node = node[k] ??= {};
    node[keys.at(-1)] = value;
  }
  return data;
}

function fill(data, prefix = '') {
  for (const [k, v] of Object.entries(data)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) repeated[path] = v;
    else if (v && typeof v === 'object') fill(v, path);
    else if (inputs.has(path)) {
      const input = inputs.get(path);
      if (input.type === 'checkbox') input.checked = Boolean(v); else input.value = v;
    }
  }
}

// ---- the checklist: ticking a document attaches a stand-in file (no upload in this page) ----
const attached = new Map(); // document id → document in the engine's shape (camelCase)
function attach(id, doc) {
  attached.set(id, doc.replaceableBy ? { id, fromDatabase: doc.replaceableBy }
    : { id, files: [{ name: `${id}.pdf`, mediaType: (doc.formats ?? ['application/pdf'])[0], size: 100000 }] });
}
for (const [id, doc] of Object.entries(info.documents)) {
  const box = el('input', { type: 'checkbox', onchange: (e) => { if (e.target.checked) attach(id, doc); else attached.delete(id); revalidate(); } });
  const name = el('b');
  const note = el('small');
  labels.push([name, () => tx(doc.name)]);
  labels.push([note, () => [
    [doc.originals && `${doc.originals} ${t('originals')}`, doc.copies && `${doc.copies} ${t('copies')}`].filter(Boolean).join(', '),
    doc.template, doc.replaceableBy && `${t('from_db')} ${doc.replaceableBy}`,
    doc.required === false ? t('optional') : doc.requiredIf ? doc.requiredIf : ''].filter(Boolean).join(' · ')]);
  $('checklist').append(el('li', { id: `d-${id}` }, el('label', {}, box, ' ', name, ' ', note), el('div', { class: 'status' })));
}

// The documents as the service reads them (snake_case).
const forService = (docs) => docs.map((d) => d.fromDatabase ? { id: d.id, from_database: d.fromDatabase }
  : { id: d.id, files: d.files.map((f) => ({ name: f.name, media_type: f.mediaType, size: f.size })) });

// ---- validation as the citizen types ----
// Checks run one after another; only the newest answer is drawn, and the service is asked
// once typing pauses (the browser module answers at once).
let asked = 0;
let timer = null;
let waiting = []; // callers of validate() whose answer the next request to the service gives
function validate() {
  const seq = ++asked;
  const data = collect();
  const documents = [...attached.values()];
  const run = () => checker.check(data, documents).then((v) => { if (seq === asked) drawChecked(v); return v; },
    (e) => { if (seq === asked) drawFailure(e); throw e; });
  if (checker.where === 'wasm') return run();
  clearTimeout(timer);
  return new Promise((resolve, reject) => {
    waiting.push({ resolve, reject });
    timer = setTimeout(() => {
      const callers = waiting;
      waiting = [];
      run().then((v) => callers.forEach((c) => c.resolve(v)), (e) => callers.forEach((c) => c.reject(e)));
    }, 150);
  });
}

function drawChecked(v) {
  for (const e of document.querySelectorAll('.error[id^="e-"]')) e.textContent = '';
  for (const e of document.querySelectorAll('.invalid')) e.classList.remove('invalid');
  const elsewhere = [];
  for (const p of v.problems) {
    if (p.path.startsWith('$.documents')) continue;
    const path = p.path.slice(2);
    const slot = $(`e-${path}`);
    if (slot) {
      slot.textContent = tx(p.message);
      $(`l-${path}`)?.classList.add('invalid');
    } else elsewhere.push(tx(p.message));
  }
  for (const id of Object.keys(info.documents)) {
    const li = $(`d-${id}`);
    const problem = v.documentProblems.find((p) => p.path === `$.documents.${id}`);
    li.querySelector('input').checked = attached.has(id);
    li.querySelector('.status').className = 'status ' + (problem ? 'missing' : 'ok');
    li.querySelector('.status').textContent = problem ? tx(problem.message) : attached.has(id) ? t('have') : t('not_needed');
  }
  $('summary').textContent = v.valid ? t('valid') : `${v.problems.length} ${t('problems')}` + (elsewhere.length ? ` (${elsewhere.join('; ')})` : '');
  $('summary').className = v.valid ? 'ok' : 'missing';
  document.body.dataset.checked = String(asked);
}

function drawFailure(e) {
  $('summary').textContent = `${t('unchecked')}: ${e.message}`;
  $('summary').className = 'missing';
  document.body.dataset.checked = String(asked);
}

function texts() {
  drawChoice();
  $('procedure-title').textContent = tx(info.name);
  $('procedure-title').removeAttribute('data-t');
  $('procedure-sub').textContent = `${t('code')} ${info.code} · ${info.legalDeadline.replace('d', ' ' + t('working_days'))} · ${info.legalBasis.map((b) => b.document).join(', ')}`;
  $('form-title').textContent = tx(info.form.title) || t('submit');
  $('checked-by').textContent = t(checker.where === 'wasm' ? 'checked_here' : 'checked_there');
  for (const [node, value] of labels) {
    const v = value();
    if (node) node.textContent = v;
  }
  validate().catch(() => {});
}

const revalidate = () => { validate().catch(() => {}); };
$('form').addEventListener('input', revalidate);
$('form').addEventListener('change', revalidate);
$('sample').addEventListener('click', () => {
  fill(SAMPLE.data);
  attached.clear();
  for (const d of SAMPLE.documents) attached.set(d.id, d);
  revalidate();
});

let result = null; // {ok, id, appointment} | {ok: false, error}
function drawResult() {
  const box = $('result');
  box.replaceChildren();
  if (!result) return;
  if (result.ok) {
    box.className = 'success';
    box.append(el('span', {}, `${t('submitted_ok')} `), el('b', { id: 'dossier-id' }, result.id),
      el('span', {}, `. ${t('appointment_is')}: `), el('b', { id: 'appointment' }, when(result.appointment)),
      el('span', {}, ' · '), el('a', { id: 'follow', href: `/desk/dossier?id=${encodeURIComponent(result.id)}` }, t('follow')));
  } else {
    box.className = 'failure';
    box.textContent = `${t('not_submitted')}: ${result.error}`;
  }
}

$('submit').addEventListener('click', async () => {
  let v;
  try {
    v = await validate();
  } catch (e) {
    v = { valid: false, problems: [{ message: { vi: errorText(e), en: errorText(e) } }] };
  }
  if (!identity()) {
    result = { ok: false, error: t('sign_in_citizen') };
  } else if (!v.valid) {
    result = { ok: false, error: v.problems.map((p) => tx(p.message)).join('; ') };
  } else {
    $('submit').disabled = true;
    try {
      const { body } = await api('/api/v1/dossiers', {
        method: 'POST', headers: { 'idempotency-key': freshKey('citizen') },
        body: { procedure: CODE, jurisdiction: JURISDICTION, channel: 'online', data: collect(), documents: forService([...attached.values()]) },
      });
      result = { ok: true, id: body.dossier.id, appointment: body.dossier.deadline?.appointment };
    } catch (e) {
      result = { ok: false, error: errorText(e) };
    } finally {
      $('submit').disabled = false;
    }
  }
  drawResult();
  document.body.dataset.submitted = result.ok ? 'ok' : 'failed';
});

// Sample data of the birth registration: tests/scenarios/birth-registration-happy-police-first.yaml
// (submit.data, documents).
const SAMPLE = {
  data: {
    declarant: { full_name: 'Nguyễn Thị Lan', citizen_id: '001195012345', relationship: 'mother', phone: '0912345678', email: 'lan.nguyen@gmail.com' },
    child: { full_name: 'Trần Minh Khôi', sex: 'male', birth_date: '2026-02-10', birth_place_type: 'health_facility',
      birth_place: 'Bệnh viện Phụ sản Hà Nội, 929 đường La Thành, phường Giảng Võ, Hà Nội', ethnicity: 'kinh', nationality: 'vn' },
    mother: { full_name: 'Nguyễn Thị Lan', birth_date: '1995-06-20', citizen_id: '001195012345' },
    father_known: true,
    father: { full_name: 'Trần Văn Hùng', birth_date: '1993-03-02', citizen_id: '001093054321' },
    residence: { province: '01', commune: '00004', address: 'Số 12 ngõ 34 phố Kim Mã', household_head_name: 'Trần Văn Hùng',
      household_head_id: '001093054321', relationship_to_head: 'child' },
    household_members: [
      { full_name: 'Trần Văn Hùng', birth_date: '1993-03-02', citizen_id: '001093054321', relationship: 'Chủ hộ' },
      { full_name: 'Nguyễn Thị Lan', birth_date: '1995-06-20', citizen_id: '001195012345', relationship: 'Vợ' },
      { full_name: 'Trần Thị Mai', birth_date: '2020-09-09', relationship: 'Con' },
    ],
    insurance: { initial_facility: '01001', card_delivery: 'in_person' },
  },
  documents: [
    { id: 'birth_declaration', files: [{ name: 'to-khai-khai-sinh-khoi.pdf', mediaType: 'application/pdf', size: 184320 }] },
    { id: 'birth_certificate', files: [{ name: 'giay-chung-sinh-khoi.jpg', mediaType: 'image/jpeg', size: 912384 }] },
    { id: 'residence_form', files: [{ name: 'ct01-khoi.pdf', mediaType: 'application/pdf', size: 156672 }] },
    { id: 'insurance_declaration', files: [{ name: 'tk1-ts-khoi.pdf', mediaType: 'application/pdf', size: 141312 }] },
    { id: 'parents_marriage_certificate', fromDatabase: 'civil_status' },
    { id: 'declarant_identity', fromDatabase: 'population' },
  ],
};

signInBox(() => { result = null; drawResult(); });
onLanguage(() => { texts(); drawResult(); });
texts();
document.body.dataset.ready = 'true';
