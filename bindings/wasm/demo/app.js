// The demo: the birth-registration form rendered from the procedure, validated by the engine
// as the user types (Vietnamese messages), the document checklist, and the process diagram.
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
    validate();
  });
  checklist.append(li);
}

// ---- validation as the user types ----
function validate() {
  const documents = [...attached.values()];
  const v = procedure.validateForm(collect(), documents, today);
  for (const el of document.querySelectorAll('.error')) el.textContent = '';
  for (const el of document.querySelectorAll('.invalid')) el.classList.remove('invalid');
  const elsewhere = [];
  for (const p of v.problems) {
    if (p.path.startsWith('$.documents')) continue;
    const path = p.path.slice(2);
    const slot = $(`e-${path}`);
    if (slot) {
      slot.textContent = p.message.vi;
      $(`l-${path}`)?.classList.add('invalid');
    } else elsewhere.push(p.message.vi);
  }
  const docs = procedure.checkDocuments(documents, collect(), today);
  for (const [id] of Object.entries(info.documents)) {
    const li = $(`d-${id}`);
    const problem = docs.problems.find((p) => p.path === `$.documents.${id}`);
    li.querySelector('input').checked = attached.has(id);
    li.querySelector('.status').className = 'status ' + (problem ? 'missing' : 'ok');
    li.querySelector('.status').textContent = problem ? problem.message.vi : attached.has(id) ? '✓ đã có' : '✓ không cần';
  }
  $('summary').textContent = v.valid ? 'Hồ sơ hợp lệ' : `${v.problems.length} lỗi cần sửa` + (elsewhere.length ? ` (${elsewhere.join('; ')})` : '');
  return v;
}

$('form').addEventListener('input', validate);
$('sample').addEventListener('click', () => {
  fill(sample.data);
  attached.clear();
  for (const d of sample.documents) attached.set(d.id, d);
  validate();
});

let seq = 0;
$('submit').addEventListener('click', () => {
  const result = $('result');
  try {
    const { dossier, applied } = procedure.submit({
      dossierId: `KS-DEMO-${++seq}`, commandId: `demo-${seq}`, at: now(), actor: { role: 'citizen' },
      channel: 'online', jurisdiction: collect().residence?.commune ?? '00004',
      data: collect(), documents: [...attached.values()],
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

validate();
document.body.dataset.ready = 'true';
