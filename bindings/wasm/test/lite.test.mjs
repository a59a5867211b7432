// The lite module (specs as JSON, no YAML parser) in Node: the same answers as the full one.
// `node --test test/lite.test.mjs` after ./build.sh (which also writes demo/specs/*.json with
// `motcua json`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine as FullEngine, MotcuaError } from '../pkg/node.js';
// The entry `import 'motcua/lite'` resolves to in Node (the `node` export condition).
import { Engine } from '../pkg/lite-node.js';

const root = new URL('../../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const json = (name) => readFileSync(new URL(`../demo/specs/${name}.json`, import.meta.url), 'utf8');
const fixture = JSON.parse(readFileSync(new URL('./fixtures/birth-application.json', import.meta.url), 'utf8'));
const BIRTH = 'birth-registration-residence-insurance';

const lite = Engine.loadJson({
  catalogue: { text: json('vietnam'), file: 'vietnam.json' },
  calendars: [{ text: json('vn-gov'), file: 'vn-gov.json' }],
});
const birth = lite.loadProcedureJson(json(BIRTH), `${BIRTH}.json`);
const full = FullEngine.load({
  catalogue: { text: read('specs/catalogue/vietnam.yaml'), file: 'vietnam.yaml' },
  calendars: [{ text: read('specs/calendars/vn-gov.yaml'), file: 'vn-gov.yaml' }],
}).loadProcedure(read(`specs/procedures/${BIRTH}.yaml`), `${BIRTH}.yaml`);

test('the lite module has no YAML reader', () => {
  assert.equal(typeof Engine.loadJson, 'function');
  assert.equal(Engine.load, undefined);
  assert.equal(lite.loadProcedure, undefined);
});

test('a procedure read from JSON is the procedure read from YAML', () => {
  assert.deepEqual(birth.info(), full.info());
  assert.equal(birth.diagramMermaid('vi'), full.diagramMermaid('vi'));
  const bad = structuredClone(fixture.data);
  bad.declarant.citizen_id = '00119501234';
  bad.child.sex = 'x';
  for (const [data, documents] of [[fixture.data, fixture.documents], [bad, fixture.documents], [fixture.data, null]]) {
    assert.deepEqual(birth.validateForm(data, documents, '2026-03-09'), full.validateForm(data, documents, '2026-03-09'));
  }
  const v = birth.validateForm(bad, fixture.documents, '2026-03-09');
  assert.deepEqual(v.problems.map((p) => [p.path, p.code]), [
    ['$.declarant.citizen_id', 'invalid_citizen_id'], ['$.child.sex', 'not_in_code_list'],
  ]);
  assert.match(v.problems[0].message.vi, /Số định danh/);
  assert.equal(birth.addWorkingTime(birth.startOfCount('2026-02-13T16:00:00+07:00'), '3d'), '2026-02-25T17:00:00+07:00');
});

test('a dossier runs the same on both modules', () => {
  const submission = {
    dossierId: 'KS-1', commandId: 'c1', at: '2026-03-09T08:15:00+07:00', actor: { role: 'citizen' },
    channel: 'online', jurisdiction: '00004', data: fixture.data, documents: fixture.documents,
  };
  const a = birth.submit(submission);
  const b = full.submit(submission);
  assert.deepEqual(a.applied, b.applied);
  const accept = { id: 'c2', at: '2026-03-09T09:00:00+07:00', actor: { role: 'one_stop_officer', agency: 'commune_committee' }, type: 'act', action: 'accept' };
  assert.deepEqual(a.dossier.apply(accept), b.dossier.apply(accept));
  assert.deepEqual(a.dossier.toJSON(), b.dossier.toJSON());
  assert.equal(a.dossier.status, 2);
});

test('JSON load errors carry the code, line, column and path in the JSON text', () => {
  const spec = JSON.parse(json(BIRTH));
  spec.steps.receive.agency = 'ministry_of_magic';
  const text = JSON.stringify(spec, null, 2);
  const line = text.split('\n').findIndex((l) => l.includes('"ministry_of_magic"')) + 1;
  assert.throws(() => lite.loadProcedureJson(text, 'broken.json'), (e) => {
    assert.ok(e instanceof MotcuaError);
    assert.equal(e.code, 'unknown_agency');
    assert.equal(e.file, 'broken.json');
    assert.equal(e.path, 'steps.receive.agency');
    assert.equal(e.line, line);
    assert.ok(e.column > 1);
    return true;
  });
  assert.throws(() => lite.loadProcedureJson('{"code": ', 'cut.json'), { code: 'json_syntax', file: 'cut.json', line: 1 });
});
