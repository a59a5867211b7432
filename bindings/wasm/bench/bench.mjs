// One run, two comparisons (Node, after ./build.sh):
//  1. form validation: motcua's validateForm on the birth application vs Ajv on an equivalent
//     JSON Schema (as close as JSON Schema gets: the CCCD province/century checks, age-relative
//     date bounds and cross-field rules cannot be written in it, so Ajv checks less);
//     Then one keystroke through a form session (`procedure.formSession`: the data stays in the
//     module, `set` re-checks what reads the field and returns the problems that changed) vs
//     Ajv validating the whole form again, which is what a page without a session does.
//  2. dossier transitions: motcua's submit + 7 commands through the liên thông group vs an
//     XState v5 machine with the same states, parallel branches, join and role guards (XState
//     computes no deadlines, effects, hand-offs or events).
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { createMachine, createActor } from 'xstate';
import { Engine } from '../pkg/node.js';
import { initSync as initLite, Engine as LiteEngine } from '../pkg/lite/motcua_wasm.js';

const root = new URL('../../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');
const sample = JSON.parse(readFileSync(new URL('../test/fixtures/birth-application.json', import.meta.url), 'utf8'));
const engine = Engine.load({
  catalogue: { text: read('specs/catalogue/vietnam.yaml'), file: 'vietnam.yaml' },
  calendars: [{ text: read('specs/calendars/vn-gov.yaml'), file: 'vn-gov.yaml' }],
});
const birth = engine.loadProcedure(read('specs/procedures/birth-registration-residence-insurance.yaml'), 'birth.yaml');
// The lite module (the browsers' download), on the JSON specs build.sh writes to demo/specs/.
initLite({ module: readFileSync(new URL('../pkg/lite/motcua_wasm_bg.wasm', import.meta.url)) });
const demoSpec = (name) => readFileSync(new URL(`../demo/specs/${name}.json`, import.meta.url), 'utf8');
const liteBirth = LiteEngine.loadJson({ catalogue: { text: demoSpec('vietnam') }, calendars: [{ text: demoSpec('vn-gov') }] })
  .loadProcedureJson(demoSpec('birth-registration-residence-insurance'), 'birth.json');

function bench(name, fn, ms = 1500) {
  for (let i = 0; i < 200; i++) fn(i); // warm up
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) { for (let i = 0; i < 50; i++) fn(n++); now = process.hrtime.bigint(); }
  const ns = Number(now - start) / n;
  console.log(`${name.padEnd(56)} ${(ns / 1000).toFixed(2).padStart(9)} µs/op`);
  return ns;
}

// ---- 1. forms ----
const text = (max, extra = {}) => ({ type: 'string', minLength: 1, ...(max ? { maxLength: max } : {}), ...extra });
const cccd = { type: 'string', pattern: '^[0-9]{3}[0-9][0-9]{2}[0-9]{6}$' };
const date = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' };
const code = (...values) => ({ enum: values });
const person = { type: 'object', additionalProperties: false, required: ['full_name', 'birth_date', 'citizen_id'],
  properties: { full_name: text(100), birth_date: date, citizen_id: cccd } };
const schema = {
  type: 'object', additionalProperties: false,
  required: ['declarant', 'child', 'mother', 'father_known', 'residence', 'insurance'],
  properties: {
    declarant: { type: 'object', additionalProperties: false, required: ['full_name', 'citizen_id', 'relationship', 'phone'],
      properties: { full_name: text(100), citizen_id: cccd, relationship: code('mother', 'father', 'grandparent', 'other'),
        relationship_note: text(50), phone: { type: 'string', pattern: '^(0|\\+84)[35789][0-9]{8}$' },
        email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' } } },
    child: { type: 'object', additionalProperties: false,
      required: ['full_name', 'sex', 'birth_date', 'birth_place_type', 'birth_place', 'ethnicity', 'nationality'],
      properties: { full_name: text(100, { minLength: 2, pattern: '^[A-Za-zÀ-ỹ ]+$' }), sex: code('male', 'female'), birth_date: date,
        birth_place_type: code('health_facility', 'home', 'other'), birth_place: text(200),
        ethnicity: code('kinh', 'tay', 'thai', 'muong', 'khmer', 'hoa', 'other'), nationality: code('vn') } },
    mother: person,
    father_known: { type: 'boolean' },
    father: person,
    residence: { type: 'object', additionalProperties: false,
      required: ['province', 'commune', 'address', 'household_head_name', 'household_head_id', 'relationship_to_head'],
      properties: { province: { type: 'string', pattern: '^[0-9]{2}$' }, commune: { type: 'string', pattern: '^[0-9]{5}$' },
        address: text(200), household_head_name: text(), household_head_id: cccd, relationship_to_head: code('child', 'grandchild', 'other') } },
    household_members: { type: 'array', maxItems: 20, items: { type: 'object', additionalProperties: false,
      required: ['full_name', 'birth_date', 'relationship'],
      properties: { full_name: text(), birth_date: date, citizen_id: cccd, relationship: text() } } },
    insurance: { type: 'object', additionalProperties: false, required: ['initial_facility', 'card_delivery'],
      properties: { initial_facility: { type: 'string', pattern: '^[0-9]{5}$' }, card_delivery: code('in_person', 'post'), postal_address: text() } },
  },
  if: { properties: { father_known: { const: true } } }, then: { required: ['father'] },
};
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(schema);
if (!validate(sample.data)) throw new Error('Ajv rejects the sample: ' + JSON.stringify(validate.errors));
const ok = birth.validateForm(sample.data, sample.documents, '2026-03-09');
if (!ok.valid) throw new Error('motcua rejects the sample');
const bad = structuredClone(sample.data);
bad.declarant.citizen_id = '00119501234';
bad.child.sex = 'x';

console.log('\n1. form validation (birth application, 7 groups, 40 fields, 7 documents)');
const fm = bench('motcua validateForm (form + documents), valid', () => birth.validateForm(sample.data, sample.documents, '2026-03-09'));
const fl = bench('motcua lite module, same call', () => liteBirth.validateForm(sample.data, sample.documents, '2026-03-09'));
const fa = bench('Ajv (JSON Schema, compiled), valid', () => validate(sample.data));
const fmb = bench('motcua validateForm, 2 errors (messages vi+en)', () => birth.validateForm(bad, sample.documents, '2026-03-09'));
const fab = bench('Ajv, 2 errors (allErrors)', () => validate(bad));
// What any engine pays to take the same input across a JSON boundary, before any rule runs.
const fj = bench('JSON.parse(JSON.stringify(input)) alone (the crossing)', () => JSON.parse(JSON.stringify({ data: sample.data, documents: sample.documents })));

// One keystroke: the child's name gains or loses a letter (nothing changes), or the declarant's
// CCCD loses its last digit (one problem appears or goes).
const session = (procedure) => {
  const s = procedure.formSession('2026-03-09');
  s.setData(sample.data);
  s.setDocuments(sample.documents);
  if (s.problems().length !== 0) throw new Error('the session rejects the sample');
  return s;
};
const sFull = session(birth);
const sLite = session(liteBirth);
const names = ['Trần Minh Khô', 'Trần Minh Khôi'];
const ids = ['00119501234', sample.data.declarant.citizen_id];
const ks = bench('session.set, one keystroke (full module)', (i) => sFull.set('child.full_name', names[i & 1]));
const ksl = bench('session.set, one keystroke (lite module)', (i) => sLite.set('child.full_name', names[i & 1]));
const kse = bench('session.set, a problem appears/goes (full module)', (i) => sFull.set('declarant.citizen_id', ids[i & 1]));
const typed = structuredClone(sample.data);
const ka = bench('Ajv, the whole form again after a keystroke', (i) => { typed.child.full_name = names[i & 1]; return validate(typed); });

// ---- 2. transitions ----
const at = (d, h) => `2026-03-${d}T${h}:00+07:00`;
const officer = (role, agency) => ({ role, agency });
const steps = [
  [at('09', '09:00'), officer('one_stop_officer', 'commune_committee'), 'accept'],
  [at('09', '14:00'), officer('civil_status_officer', 'commune_committee'), 'propose'],
  [at('10', '09:30'), officer('leader', 'commune_committee'), 'sign'],
  [at('10', '15:00'), officer('police_officer', 'commune_police'), 'register_residence'],
  [at('11', '10:00'), officer('insurance_officer', 'social_insurance'), 'issue_card'],
  [at('11', '14:00'), officer('one_stop_officer', 'commune_committee'), 'hand_over'],
];
function runMotcua(i) {
  const { dossier } = birth.submit({ dossierId: `KS-${i}`, commandId: 'c1', at: at('09', '08:15'), actor: { role: 'citizen' },
    channel: 'online', jurisdiction: '00004', data: sample.data, documents: sample.documents });
  let n = 1;
  for (const [when, actor, action] of steps) dossier.apply({ id: `c${++n}`, at: when, actor, type: 'act', action });
  if (dossier.status !== 10) throw new Error('not closed');
  dossier.free();
}
const role = (r, a) => ({ context, event }) => event.actor.role === r && event.actor.agency === a;
const machine = createMachine({
  id: 'birth', initial: 'receive',
  states: {
    receive: { on: { accept: { target: 'examine', guard: role('one_stop_officer', 'commune_committee') },
      request_supplement: 'supplement', refuse: 'not_received' } },
    supplement: { on: { resubmit: 'receive', stop: 'stopped' } },
    examine: { on: { propose: { target: 'sign', guard: role('civil_status_officer', 'commune_committee') }, refuse: 'refused' } },
    sign: { on: { sign: { target: 'handoff', guard: role('leader', 'commune_committee') }, send_back: 'examine' } },
    handoff: {
      type: 'parallel',
      states: {
        residence: { initial: 'working', states: { working: { on: { register_residence: { target: 'done', guard: role('police_officer', 'commune_police') } } }, done: { type: 'final' } } },
        insurance_card: { initial: 'working', states: { working: { on: { issue_card: { target: 'done', guard: role('insurance_officer', 'social_insurance') } } }, done: { type: 'final' } } },
      },
      onDone: 'return_results',
    },
    return_results: { on: { hand_over: { target: 'issued', guard: role('one_stop_officer', 'commune_committee') } } },
    issued: { type: 'final' }, refused: { type: 'final' }, not_received: { type: 'final' }, stopped: { type: 'final' },
  },
});
function runXState() {
  const actor = createActor(machine).start();
  for (const [, a, action] of steps) actor.send({ type: action, actor: a });
  if (actor.getSnapshot().value !== 'issued') throw new Error('xstate not issued: ' + JSON.stringify(actor.getSnapshot().value));
  actor.stop();
}
runXState();

console.log('\n2. dossier transitions (open + 6 commands through the liên thông group, fork and join)');
const tm = bench('motcua submit + 6 apply (validated form, deadlines, effects)', runMotcua);
const tx = bench('XState v5 createActor + 6 send', runXState);

const r = (a, b) => (a / b).toFixed(2);
console.log(`\nratios (time motcua / time peer; < 1 means motcua is faster)`);
console.log(`  form, valid, form+documents vs Ajv:   ${r(fm, fa)}`);
console.log(`  form, valid, lite module vs Ajv:      ${r(fl, fa)}`);
console.log(`  form, 2 errors vs Ajv:                ${r(fmb, fab)}`);
console.log(`  keystroke, session.set vs Ajv whole:  ${r(ks, ka)}`);
console.log(`  keystroke, lite module vs Ajv whole:  ${r(ksl, ka)}`);
console.log(`  keystroke + problem vs Ajv whole:     ${r(kse, ka)}`);
console.log(`  keystroke, session.set vs validateForm: ${r(ks, fm)}`);
console.log(`  transitions, whole dossier vs XState: ${r(tm, tx)}`);
console.log(`  (the JSON crossing of the form input alone is ${r(fj, fa)}× Ajv's whole validation)`);
