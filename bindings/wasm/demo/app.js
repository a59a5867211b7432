// The demo: the birth-registration form rendered from the procedure, validated by the engine
// as the user types through a form session held in the module (Vietnamese messages), the document checklist, and the process diagram.
// All rules come from the spec through the WASM package; this file only draws and collects.
// The lite module: the browser download without the YAML parser; specs come as the JSON that
// `motcua json FILE` prints (build.sh writes them to demo/specs/).
import { Engine, MotcuaError } from '../pkg/lite.js';

const params = new URLSearchParams(location.search);
// The host owns the clock: `?today=YYYY-MM-DD&now=<RFC 3339>` pin it (the browser test does).
const today = params.get('today') ?? new Date().toLocaleDateString('sv');
const now = () => params.get('now') ?? new Date();
const $ = (id) => document.getElementById(id);
const text = async (path) => (await fetch(path)).text();

const engine = Engine.loadJson({
  catalogue: { text: await text('./specs/vietnam.json'), file: 'vietnam.json' },
  calendars: [{ text: await text('./specs/vn-gov.json'), file: 'vn-gov.json' }],
});
const file = 'birth-registration-residence-insurance.json';
const procedure = engine.loadProcedureJson(await text('./specs/' + file), file);
const info = procedure.info();
const sample = await (await fetch('./sample.json')).json();

$('title').textContent = info.name.vi;
$('subtitle').textContent = `Mã thủ tục ${info.code} · thời hạn ${info.legalDeadline.replace('d', ' ngày làm việc')} · ${info.legalBasis.map((b) => b.document).join(', ')}`;
$('form-title').textContent = info.form.title?.vi ?? 'Tờ khai';
$('diagram').textContent = procedure.diagramMermaid('vi');

// ---- the form, drawn from the spec ----
const inputs = new Map(); // dotted path → element
let repeated = {}; // repeating groups are not drawn; sample data keeps them

function draw(fields, parent, prefix) {
  for (const [id, field] of Object.entries(fields)) {
    const path = prefix ? `${prefix}.${id}` : id;
    if (field.type === 'group' && field.repeat) { repeated[path] = []; continue; }
    if (field.type === 'attachment') continue;
    if (field.type === 'group') {
      const set = document.createElement('fieldset');
      set.innerHTML = `<legend></legend><div class="error" id="e-${path}"></div>`;
      set.querySelector('legend').textContent = field.label.vi;
      draw(field.fields, set, path);
      parent.append(set);
      continue;
    }
    const label = document.createElement('label');
    label.id = `l-${path}`;
    label.innerHTML = `<span></span>`;
    label.querySelector('span').textContent = field.label.vi + (field.required ? ' *' : '');
    let input;
    if (field.type === 'code') {
      input = document.createElement('select');
      input.append(new Option('— chọn —', ''));
      for (const [code, t] of Object.entries(field.codes)) input.append(new Option(t.vi, code));
    } else if (field.type === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
    } else {
      input = document.createElement('input');
      input.type = field.type === 'date' ? 'date' : 'text';
    }
    input.id = `f-${path}`;
    input.name = path;
    input.dataset.type = field.type;
    inputs.set(path, input);
    const error = document.createElement('div');
    error.className = 'error';
    error.id = `e-${path}`;
    label.append(input, error);
    parent.append(label);
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

// ---- the checklist ----
const attached = new Map(); // document id → submitted document
const checklist = $('checklist');
for (const [id, doc] of Object.entries(info.documents)) {
  const li = document.createElement('li');
  li.id = `d-${id}`;
  li.innerHTML = `<label><input type="checkbox"> <b></b> <small></small></label><div class="status"></div>`;
  li.querySelector('b').textContent = doc.name.vi;
  const counts = [doc.originals && `${doc.originals} bản chính`, doc.copies && `${doc.copies} bản sao`].filter(Boolean).join(', ');
  li.querySelector('small').textContent = [counts, doc.template, doc.replaceableBy && `có thể lấy từ CSDL ${doc.replaceableBy}`,
    doc.required === false ? 'không bắt buộc' : doc.requiredIf ? `khi ${doc.requiredIf}` : ''].filter(Boolean).join(' · ');
  li.querySelector('input').addEventListener('change', (e) => {
    if (e.target.checked) attached.set(id, doc.replaceableBy ? { id, fromDatabase: doc.replaceableBy }
      : { id, files: [{ name: `${id}.pdf`, mediaType: (doc.formats ?? ['application/pdf'])[0], size: 100000 }] });
    else attached.delete(id);
    checklistChanged();
  });
  checklist.append(li);
}

// ---- validation as the user types, through a form session ----
// The form data lives in the module: each keystroke sets one field, and the session answers
// with the problems that appeared and disappeared (re-checking only what reads that field).
// Only the slots those problems name are repainted.
const session = procedure.formSession(today);
const byPath = new Map(); // JSON path → its problems
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function paint(path) {
  const problems = byPath.get(path) ?? [];
  if (path.startsWith('$.documents.')) {
    const id = path.slice('$.documents.'.length);
    const li = $(`d-${id}`);
    if (!li) return;
    li.querySelector('input').checked = attached.has(id);
    li.querySelector('.status').className = 'status ' + (problems.length ? 'missing' : 'ok');
    li.querySelector('.status').textContent = problems.length ? problems[0].message.vi : attached.has(id) ? '✓ đã có' : '✓ không cần';
    return;
  }
  const slot = $(`e-${path.slice(2)}`);
  if (slot) {
    slot.textContent = problems.map((p) => p.message.vi).join('; ');
    $(`l-${path.slice(2)}`)?.classList.toggle('invalid', problems.length > 0);
  }
}

function summary() {
  let count = 0;
  const elsewhere = [];
  for (const [path, problems] of byPath) {
    count += problems.length;
    if (!path.startsWith('$.documents') && !$(`e-${path.slice(2)}`)) elsewhere.push(...problems.map((p) => p.message.vi));
  }
  $('summary').textContent = count === 0 ? 'Hồ sơ hợp lệ' : `${count} lỗi cần sửa` + (elsewhere.length ? ` (${elsewhere.join('; ')})` : '');
}

function apply({ added, removed }) {
  const touched = new Set();
  for (const p of removed) {
    const list = byPath.get(p.path) ?? [];
    const i = list.findIndex((q) => same(q, p));
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) byPath.delete(p.path);
    touched.add(p.path);
  }
  for (const p of added) {
    if (!byPath.has(p.path)) byPath.set(p.path, []);
    byPath.get(p.path).push(p);
    touched.add(p.path);
  }
  for (const path of touched) paint(path);
  summary();
}

function showAll() {
  byPath.clear();
  apply({ added: session.problems(), removed: [] });
  for (const id of Object.keys(info.documents)) paint(`$.documents.${id}`);
}

function checklistChanged() {
  apply(session.setDocuments([...attached.values()]));
  for (const id of Object.keys(info.documents)) paint(`$.documents.${id}`);
}

$('form').addEventListener('input', (e) => {
  const input = e.target;
  if (!inputs.has(input.name)) return;
  const value = input.type === 'checkbox' ? input.checked : input.value.trim();
  apply(value === '' ? session.remove(input.name) : session.set(input.name, value));
});
$('sample').addEventListener('click', () => {
  fill(sample.data);
  attached.clear();
  for (const d of sample.documents) attached.set(d.id, d);
  session.setData(collect());
  session.setDocuments([...attached.values()]);
  showAll();
});

let seq = 0;
$('submit').addEventListener('click', () => {
  const result = $('result');
  try {
    const { dossier, applied } = procedure.submit({
      dossierId: `KS-DEMO-${++seq}`, commandId: `demo-${seq}`, at: now(), actor: { role: 'citizen' },
      channel: 'online', jurisdiction: collect().residence?.commune ?? '00004',
      data: session.data(), documents: [...attached.values()],
    });
    const appointment = applied.effects.find((e) => e.type === 'appointment_set')?.appointment;
    result.className = 'success';
    result.textContent = `Đã nộp hồ sơ ${dossier.id}. Ngày hẹn trả kết quả: ${new Date(appointment).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}`;
  } catch (e) {
    if (!(e instanceof MotcuaError)) throw e;
    result.className = 'failure';
    result.textContent = `Chưa nộp được: ${e.messages.vi}` + (e.problems.length ? ` — ${e.problems.map((p) => p.message.vi).join('; ')}` : '');
  }
});

session.setData(collect());
showAll();
document.body.dataset.ready = 'true';
