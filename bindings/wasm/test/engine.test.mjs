// The package in Node, over the shipped specs: `node --test test/` after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine, Procedure, Dossier, MotcuaError } from '../pkg/node.js';

const root = new URL('../../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const fixture = JSON.parse(readFileSync(new URL('./fixtures/birth-application.json', import.meta.url), 'utf8'));
const BIRTH = 'specs/procedures/birth-registration-residence-insurance.yaml';

const engine = Engine.load({
  catalogue: { text: read('specs/catalogue/vietnam.yaml'), file: 'specs/catalogue/vietnam.yaml' },
  calendars: [{ text: read('specs/calendars/vn-gov.yaml'), file: 'specs/calendars/vn-gov.yaml' }],
});
const birth = engine.loadProcedure(read(BIRTH), BIRTH);
const clone = (v) => structuredClone(v);

const submission = (overrides = {}) => ({
  dossierId: 'KS-2026-0001',
  commandId: 'c1',
  at: '2026-03-09T08:15:00+07:00',
  actor: { role: 'citizen' },
  channel: 'online',
  jurisdiction: '00004',
  data: clone(fixture.data),
  documents: clone(fixture.documents),
  ...overrides,
});

test('every shipped procedure loads, and info() keeps the spec order with camelCase keys', () => {
  for (const file of [
    BIRTH,
    'specs/procedures/business-registration.yaml',
    'specs/procedures/land-first-certificate.yaml',
    'specs/procedures/provincial-two-phase-23-days.yaml',
  ]) {
    const p = engine.loadProcedure(read(file), file);
    assert.ok(p instanceof Procedure);
    assert.ok(Array.isArray(p.warnings()));
    const info = p.info();
    assert.equal(info.code, p.code);
    assert.match(info.legalDeadline, /^\d+(\.\d+)?[dh]$/);
    assert.ok(!('legal_deadline' in info));
  }
  const info = birth.info();
  assert.equal(info.code, '1.001193');
  assert.equal(info.cutoff, '15:00');
  assert.equal(info.validFrom, '2025-07-01');
  assert.equal(Object.keys(info.steps)[0], 'receive', 'the first step stays first');
  assert.deepEqual(Object.keys(info.documents).slice(0, 2), ['birth_declaration', 'birth_certificate']);
  // Identifiers stay as written; engine keys below them are camelCase.
  assert.equal(info.form.fields.declarant.fields.citizen_id.type, 'citizen_id');
  assert.equal(info.documents.birth_certificate.requiredIf, "child.birth_place_type == 'health_facility'");
});

test('an invalid citizen ID gets a Vietnamese message at its JSON path; the sample application is valid', () => {
  const ok = birth.validateForm(fixture.data, fixture.documents, '2026-03-09');
  assert.deepEqual(ok, { valid: true, formValid: true, documentsComplete: true, problems: [] });

  const data = clone(fixture.data);
  data.declarant.citizen_id = '00119501234'; // 11 digits
  const v = birth.validateForm(data, fixture.documents, '2026-03-09');
  assert.equal(v.valid, false);
  assert.equal(v.formValid, false);
  assert.equal(v.documentsComplete, true);
  assert.equal(v.problems.length, 1);
  const [p] = v.problems;
  assert.equal(p.path, '$.declarant.citizen_id');
  assert.equal(p.code, 'invalid_citizen_id');
  assert.equal(p.params.reason, 'length');
  assert.equal(p.message.vi, 'Số định danh cá nhân: số định danh cá nhân phải gồm đúng 12 chữ số');
  assert.equal(p.label.vi, 'Số định danh cá nhân');

  data.declarant.citizen_id = '999195012345'; // no such province code
  const [q] = birth.validateForm(data, fixture.documents, '2026-03-09').problems;
  assert.equal(q.code, 'invalid_citizen_id');
  assert.match(q.message.vi, /^Số định danh cá nhân: /);
});

test('checkDocuments reports the checklist alone, conditional documents included', () => {
  const docs = fixture.documents.filter((d) => d.id !== 'birth_certificate');
  const check = birth.checkDocuments(docs, fixture.data, '2026-03-09');
  assert.equal(check.complete, false);
  assert.deepEqual(check.problems.map((p) => [p.path, p.code]), [['$.documents.birth_certificate', 'document_missing']]);
  assert.match(check.problems[0].message.vi, /Giấy chứng sinh/);
  // Born at home: the birth certificate is not required, a witness statement is.
  const home = clone(fixture.data);
  home.child.birth_place_type = 'home';
  const atHome = birth.checkDocuments(docs, home, '2026-03-09');
  assert.deepEqual(atHome.problems.map((p) => p.path), ['$.documents.witness_statement']);
  assert.deepEqual(birth.checkDocuments(fixture.documents, fixture.data, '2026-03-09'), { complete: true, problems: [] });
});

test('a dossier runs the liên thông group to the result; refusals change nothing; history replays', () => {
  const { dossier, applied } = birth.submit(submission());
  assert.ok(dossier instanceof Dossier);
  assert.equal(dossier.status, 1);
  assert.equal(dossier.version, 1);
  assert.equal(applied.duplicate, false);
  assert.equal(applied.events[0].type, 'submitted');
  assert.equal(applied.events[0].commandId, 'c1');
  assert.equal(applied.events[0].data.declarant.citizen_id, '001195012345', 'form data keeps its field names');
  assert.ok(applied.effects.some((e) => e.type === 'appointment_set' && e.cause === 'submitted'));

  let n = 1;
  const act = (at, role, agency, action) =>
    dossier.apply({ id: `c${++n}`, at, actor: { role, agency }, expectedVersion: dossier.version, type: 'act', action });

  act('2026-03-09T09:00:00+07:00', 'one_stop_officer', 'commune_committee', 'accept');
  assert.equal(dossier.status, 2);
  act('2026-03-09T14:00:00+07:00', 'civil_status_officer', 'commune_committee', 'propose');
  const signed = act('2026-03-10T09:30:00+07:00', 'leader', 'commune_committee', 'sign');
  const handOffs = signed.effects.filter((e) => e.type === 'hand_off');
  assert.deepEqual(handOffs.map((e) => [e.toAgency, e.direction]), [
    ['commune_police', 'horizontal'],
    ['social_insurance', 'horizontal'],
  ]);
  assert.deepEqual([...new Set(dossier.availableActions().map((a) => a.step))].sort(), ['insurance_card', 'residence']);

  // The police cannot issue the insurance card: a MotcuaError, and the dossier is untouched.
  const before = JSON.stringify(dossier);
  assert.throws(
    () => act('2026-03-10T10:00:00+07:00', 'police_officer', 'commune_police', 'issue_card'),
    (e) => e instanceof MotcuaError && e.code === 'forbidden' && e.path.startsWith('actor') && e.messages.vi.length > 0,
  );
  assert.equal(JSON.stringify(dossier), before);
  // A stale version is refused too.
  assert.throws(
    () => dossier.apply({ id: 'stale', at: '2026-03-10T10:00:00+07:00', actor: { role: 'police_officer', agency: 'commune_police' },
      expectedVersion: 1, type: 'act', action: 'register_residence' }),
    { name: 'MotcuaError', code: 'version_conflict', path: 'expected_version' },
  );

  act('2026-03-10T15:00:00+07:00', 'police_officer', 'commune_police', 'register_residence');
  act('2026-03-11T10:00:00+07:00', 'insurance_officer', 'social_insurance', 'issue_card');
  assert.equal(dossier.status, 9);
  const done = act('2026-03-11T14:00:00+07:00', 'one_stop_officer', 'commune_committee', 'hand_over');
  assert.equal(dossier.status, 10);
  assert.ok(done.effects.some((e) => e.type === 'closed' && e.outcome === 'issued' && e.kind === 'result_issued'));

  const snapshot = dossier.toJSON();
  assert.equal(snapshot.procedureVersion, '2025.1');
  assert.equal(snapshot.closure.outcome, 'issued');
  assert.equal(snapshot.deadline.appointment, '2026-03-12T08:15:00+07:00');
  assert.equal(dossier.punctuality('2026-03-12T00:00:00+07:00'), 'early');
  assert.ok(snapshot.log.every((r) => typeof r.usedMinutes === 'number'));

  // The events (as JS gives them back) replay to the same dossier.
  const replayed = birth.replay(JSON.parse(JSON.stringify(dossier.history())));
  assert.deepEqual(replayed.toJSON(), snapshot);
  // Applying the same command id again is a duplicate, not a second event.
  const again = dossier.apply({ id: 'c2', at: '2026-03-09T09:00:00+07:00', actor: { role: 'one_stop_officer', agency: 'commune_committee' }, type: 'act', action: 'accept' });
  assert.equal(again.duplicate, true);
});

test('a submission with an invalid form is refused with every problem', () => {
  const data = clone(fixture.data);
  data.declarant.citizen_id = 'abc';
  assert.throws(() => birth.submit(submission({ data })), (e) => {
    assert.ok(e instanceof MotcuaError && e instanceof Error);
    assert.equal(e.code, 'invalid_form');
    assert.equal(e.messages.vi, 'Hồ sơ có 1 lỗi cần sửa');
    assert.equal(e.path, 'data');
    assert.deepEqual(e.problems.map((p) => [p.path, p.code]), [['$.declarant.citizen_id', 'invalid_citizen_id']]);
    return true;
  });
});

test('deadlines: Friday 13 Feb 2026 16:00 + 3 working days with the 15:00 cut-off is Wednesday 25 Feb 17:00 (Tết)', () => {
  const start = birth.startOfCount('2026-02-13T16:00:00+07:00');
  assert.equal(start, '2026-02-23T08:00:00+07:00');
  assert.equal(birth.addWorkingTime(start, '3d'), '2026-02-25T17:00:00+07:00');
  assert.equal(birth.startOfCount('2026-02-13T14:59:00+07:00'), '2026-02-13T14:59:00+07:00');
  assert.equal(birth.addWorkingTime(new Date('2026-03-02T04:00:00Z'), '4h'), '2026-03-02T16:00:00+07:00');
  assert.equal(birth.workingMinutesBetween('2026-03-06T16:30:00+07:00', '2026-03-09T08:30:00+07:00'), 60);

  // The same rule at submission: the appointment, and what the host indexes.
  const { dossier, applied } = birth.submit(submission({ at: '2026-02-13T16:00:00+07:00', commandId: 'fri' }));
  const set = applied.effects.find((e) => e.type === 'appointment_set');
  assert.equal(set.appointment, '2026-02-25T17:00:00+07:00');
  assert.equal(dossier.toJSON().deadline.clockStart, '2026-02-23T08:00:00+07:00');
  assert.equal(dossier.nextDue(), undefined, 'no timer is pending at receipt');
  assert.equal(dossier.punctuality('2026-02-26T09:00:00+07:00'), 'late');
  assert.deepEqual(dossier.advance('2026-02-16T09:00:00+07:00').events, []);

  assert.throws(() => birth.addWorkingTime('2031-01-01T09:00:00+07:00', '1d'), { code: 'outside_calendar' });
  assert.throws(() => birth.addWorkingTime('yesterday', '1d'), { code: 'invalid_type', path: 'start' });
  assert.throws(() => birth.addWorkingTime('2026-03-02T09:00:00+07:00', 'three days'), { code: 'invalid_type', path: 'duration' });
});

test('the Mermaid diagram has agency swimlanes and Vietnamese or English labels', () => {
  const vi = birth.diagramMermaid('vi');
  assert.match(vi, /^flowchart TD\n/);
  for (const lane of ['commune_committee', 'commune_police', 'social_insurance']) assert.match(vi, new RegExp(`subgraph ${lane}\\b`));
  assert.match(vi, /Tiếp nhận hồ sơ liên thông/);
  assert.match(birth.diagramMermaid('en'), /flowchart TD/);
  assert.match(birth.diagramDot('en'), /^digraph/);
});

test('load errors carry code, file, line, column, path, messages and every diagnostic', () => {
  const text = read(BIRTH).replace('to: examine', 'to: examin');
  assert.notEqual(text, read(BIRTH));
  const err = (() => { try { engine.loadProcedure(text, 'birth.yaml'); } catch (e) { return e; } })();
  assert.ok(err instanceof MotcuaError);
  assert.equal(err.name, 'MotcuaError');
  assert.equal(err.code, 'unknown_step');
  assert.equal(err.file, 'birth.yaml');
  assert.match(err.path, /^steps\.receive\.actions\.\w+\.to$/);
  const line = text.split('\n').findIndex((l) => l.includes('to: examin')) + 1;
  assert.equal(err.line, line);
  assert.ok(err.column > 1);
  assert.match(err.message, new RegExp(`^birth\\.yaml:${line}:${err.column}: `));
  assert.equal(err.messages.vi.startsWith('birth.yaml:'), true);
  assert.ok(err.diagnostics.some((d) => d.code === 'unknown_step' && d.severity === 'error' && d.help?.en.includes('examine')));
  // The span's end and the secondary label (the step the typo is nearest to) cross the boundary.
  const typo = err.diagnostics.find((d) => d.code === 'unknown_step');
  assert.equal(typo.end.line, line);
  assert.ok(typo.end.column > typo.column);
  assert.equal(typo.labels.length, 1);
  assert.equal(typo.labels[0].path, 'steps.examine');
  assert.match(typo.labels[0].message.en, /is declared here$/);

  assert.throws(() => engine.loadProcedure('motcua: 1\n  bad: [\n', 'broken.yaml'), { code: 'yaml_syntax', file: 'broken.yaml' });
  assert.throws(
    () => Engine.load({ catalogue: { text: 'id: vn\nlevels: oops\n', file: 'catalogue.yaml' } }),
    { code: 'invalid_type', line: 2, column: 9, path: 'levels' },
  );
  assert.throws(() => Engine.load({}), { name: 'MotcuaError', code: 'invalid_type' });
  assert.throws(() => birth.validateForm({}, [{ id: 'x', originals: 'one' }], '2026-03-09'), { code: 'invalid_type', path: 'documents' });
  assert.throws(() => birth.validateForm({ count: 1n }, [], '2026-03-09'), { code: 'invalid_type', path: 'data' });
  assert.throws(() => birth.validateForm({}, [], '9 March'), { code: 'invalid_type', path: 'today' });
});
