// Form sessions in both modules: edits one field at a time, the problems that changed back,
// and always the same problems as `validateForm`. `node --test test/` after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine as FullEngine, FormSession, MotcuaError } from '../pkg/node.js';
import { Engine as LiteEngine, FormSession as LiteFormSession } from '../pkg/lite-node.js';

const root = new URL('../../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const json = (name) => readFileSync(new URL(`../demo/specs/${name}.json`, import.meta.url), 'utf8');
const fixture = JSON.parse(readFileSync(new URL('./fixtures/birth-application.json', import.meta.url), 'utf8'));
const BIRTH = 'birth-registration-residence-insurance';
const TODAY = '2026-03-09';

const full = FullEngine.load({
  catalogue: { text: read('specs/catalogue/vietnam.yaml'), file: 'vietnam.yaml' },
  calendars: [{ text: read('specs/calendars/vn-gov.yaml'), file: 'vn-gov.yaml' }],
}).loadProcedure(read(`specs/procedures/${BIRTH}.yaml`), `${BIRTH}.yaml`);
const lite = LiteEngine.loadJson({
  catalogue: { text: json('vietnam'), file: 'vietnam.json' },
  calendars: [{ text: json('vn-gov'), file: 'vn-gov.json' }],
}).loadProcedureJson(json(BIRTH), `${BIRTH}.json`);

const key = (p) => JSON.stringify(p);
/** `before` with `delta` applied, as a sorted list of problems (JSON). */
const applied = (before, delta) => {
  const left = before.map(key);
  for (const r of delta.removed) {
    const i = left.indexOf(key(r));
    assert.ok(i >= 0, `removed but not there: ${key(r)}`);
    left.splice(i, 1);
  }
  return [...left, ...delta.added.map(key)].sort();
};

// A series of edits a citizen could make, valid and invalid, through the birth form.
const edits = [
  ['set', 'child.full_name', 'Trần Minh Khôi'],
  ['set', 'child.birth_date', '2030-01-01'],
  ['set', 'child.birth_date', '2026-03-01'],
  ['set', 'declarant.citizen_id', '123'],
  ['set', 'declarant.citizen_id', '001195012345'],
  ['set', 'mother.birth_date', '2020-01-01'],
  ['set', 'household_members[0]', {}],
  ['set', 'household_members[0].full_name', 'Nguyễn Văn Ba'],
  ['set', 'household_members[0].birth_date', '1950-01-01'],
  ['set', 'household_members[1]', { full_name: 'X' }],
  ['remove', 'household_members[0]'],
  ['set', 'zz_unknown', 1],
  ['remove', 'zz_unknown'],
  ['set', 'child.birth_place_type', 'home'],
  ['documents', [{ id: 'birth_declaration', originals: 1 }]],
  ['documents', fixture.documents],
  ['remove', 'child'],
];

for (const [name, procedure, Session] of [['full', full, FormSession], ['lite', lite, LiteFormSession]]) {
  test(`${name}: a session's problems equal validateForm's after every edit, and its deltas add up`, () => {
    const s = procedure.formSession(TODAY);
    assert.ok(s instanceof Session);
    assert.deepEqual(s.problems(), procedure.validateForm({}, [], TODAY).problems);
    let delta = s.setData(structuredClone(fixture.data));
    assert.deepEqual(s.data(), fixture.data);
    for (const [op, path, value] of [['documents', fixture.documents], ...edits]) {
      const before = s.problems();
      delta = op === 'set' ? s.set(path, value) : op === 'remove' ? s.remove(path) : s.setDocuments(path);
      const whole = procedure.validateForm(s.data(), s.documents(), TODAY);
      assert.deepEqual(s.problems(), whole.problems, `${op} ${path}`);
      assert.deepEqual(s.validation(), whole, `${op} ${path}`);
      assert.deepEqual(applied(before, delta), whole.problems.map(key).sort(), `${op} ${path}: the delta`);
    }
    s.free();
  });
}

test('a keystroke answers with only what changed, in validateForm\'s problem shape', () => {
  const s = full.formSession(TODAY);
  s.setData(structuredClone(fixture.data));
  s.setDocuments(fixture.documents);
  assert.deepEqual(s.problems(), []);
  const bad = s.set('$.declarant.citizen_id', '0011');
  assert.deepEqual(bad.removed, []);
  assert.equal(bad.added.length, 1);
  const [p] = bad.added;
  assert.equal(p.path, '$.declarant.citizen_id');
  assert.equal(p.code, 'invalid_citizen_id');
  assert.match(p.message.vi, /Số định danh/);
  assert.deepEqual(s.set('declarant.citizen_id', fixture.data.declarant.citizen_id), { added: [], removed: [p] });
  // Nothing that reads the field changed: nothing to report.
  assert.deepEqual(s.set('child.full_name', 'Trần Minh Khôi'), { added: [], removed: [] });
});

test('a refused edit throws a MotcuaError with a code and the path, and changes nothing', () => {
  const s = lite.formSession(TODAY);
  s.setData(structuredClone(fixture.data));
  const before = [s.data(), s.problems()];
  for (const [path, code] of [['child..x', 'invalid_value'], ['household_members[5]', 'invalid_value'], ['child.full_name.x', 'invalid_type'], ['', 'invalid_value']]) {
    assert.throws(() => s.set(path, 1), (e) => e instanceof MotcuaError && e.code === code && e.path === path, path);
  }
  assert.throws(() => s.set('x', 1n), { code: 'invalid_type', path: 'value' });
  assert.throws(() => s.setData([1]), { code: 'invalid_type', path: 'data' });
  assert.throws(() => full.formSession('9 March'), { code: 'invalid_type', path: 'today' });
  assert.deepEqual([s.data(), s.problems()], before);
});
