// The hand-written TypeScript types against what the package really returns. Every object the
// engine hands to JS in these tests is written into a TypeScript file as an object literal
// annotated with its declared type (`const x: Applied = {...}`), and `tsc` checks the file:
// a key the type does not declare (excess property), a required key that is missing, or a
// value of the wrong kind (e.g. a string where a literal union is declared) fails the test.
// This keeps pkg-src/index.d.ts from drifting when the core's types grow a field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Engine, MotcuaError } from '../pkg/node.js';

const here = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('../test-results/', import.meta.url));
mkdirSync(out, { recursive: true });

/** Type-checks `samples` ([type name, value]); returns tsc's error lines ([] when they conform). */
function typecheck(file, samples) {
  const names = [...new Set(samples.map(([name]) => name.replace('[]', '')))];
  const lines = [`import type { ${names.join(', ')} } from '../pkg/index.js';`];
  samples.forEach(([name, value], i) => lines.push(`export const sample${i}: ${name} = ${JSON.stringify(value)};`));
  writeFileSync(`${out}${file}`, lines.join('\n') + '\n');
  try {
    execFileSync(`${here}node_modules/.bin/tsc`, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext',
      '--moduleResolution', 'nodenext', '--types', '', `${out}${file}`], { cwd: here, encoding: 'utf8', stdio: 'pipe' });
    return [];
  } catch (e) {
    return `${e.stdout}`.split('\n').filter((l) => /error TS\d+/.test(l));
  }
}

const samples = [];
/** The MotcuaErrorDetails of a thrown MotcuaError (its own properties, without `name`/`stack`). */
const details = (e) => ({ code: e.code, file: e.file, path: e.path, line: e.line, column: e.column,
  messages: e.messages, diagnostics: e.diagnostics, problems: e.problems });

/** Keeps `value` to be checked against the declared type `name` by the last test. */
const record = (value, name) => samples.push([name, value]);

test('the check catches an undeclared key, a missing key and a wrong literal', () => {
  const errors = typecheck('conformance-negative.ts', [
    ['TimerDue', { action: 'b', at: 'x', step: 'undeclared' }],
    ['TimerDue', { action: 'b' }],
    ['Effect', { key: 'k', type: 'clock_suspended' }],
    ['Punctuality', 'soon'],
  ]);
  assert.equal(errors.length, 3, errors.join('\n'));
  assert.match(errors.join('\n'), /step\W+ does not exist in type 'TimerDue'/);
  assert.match(errors.join('\n'), /Property 'at' is missing/);
  assert.match(errors.join('\n'), /"soon"/);
});

// ---- everything the package returns, on the shipped specs ----

const root = new URL('../../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const fixture = JSON.parse(readFileSync(new URL('./fixtures/birth-application.json', import.meta.url), 'utf8'));
const engine = Engine.load({
  catalogue: { text: read('specs/catalogue/vietnam.yaml'), file: 'vietnam.yaml' },
  calendars: [{ text: read('specs/calendars/vn-gov.yaml'), file: 'vn-gov.yaml' }],
});
const PROCEDURES = ['birth-registration-residence-insurance', 'business-registration', 'land-first-certificate', 'provincial-two-phase-23-days'];

test('info() and warnings() of every shipped procedure match ProcedureInfo and Diagnostic[]', () => {
  for (const name of PROCEDURES) {
    const p = engine.loadProcedure(read(`specs/procedures/${name}.yaml`), `${name}.yaml`);
    record(p.info(), 'ProcedureInfo');
    for (const w of p.warnings()) record(w, 'Diagnostic');
  }
});

test('validations and document checks match their types', () => {
  const birth = engine.loadProcedure(read(`specs/procedures/${PROCEDURES[0]}.yaml`), 'birth.yaml');
  const bad = structuredClone(fixture.data);
  bad.declarant.citizen_id = '0011';
  bad.child.birth_date = '2030-01-01';
  for (const [data, docs] of [[fixture.data, fixture.documents], [bad, null]]) {
    record(birth.validateForm(data, docs, '2026-03-09'), 'Validation');
    record(birth.checkDocuments(docs, data, '2026-03-09'), 'DocumentCheck');
  }
});

// Every shipped scenario (tests/scenarios/, as JSON from `motcua json`, written by build.sh),
// driven through the JS API the way the core's scenario runner (motcua-scenario) drives the engine: the same
// statuses and rejections, and every result, snapshot and error recorded for the type check.
const scenarios = readdirSync(new URL('./scenarios/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();

test('every shipped scenario runs through the package with the statuses and rejections it expects', () => {
  assert.equal(scenarios.length, readdirSync(new URL('tests/scenarios/', root)).filter((f) => f.endsWith('.yaml')).length);
  const procedures = new Map();
  for (const file of scenarios) {
    const s = JSON.parse(readFileSync(new URL(`./scenarios/${file}`, import.meta.url), 'utf8'));
    if (!procedures.has(s.procedure)) procedures.set(s.procedure, engine.loadProcedure(read(s.procedure), s.procedure));
    const procedure = procedures.get(s.procedure);
    // The scenario's submission and commands are the API's shapes (snake_case, as in the
    // published schemas): the package takes them as they are.
    const { dossier, applied } = procedure.submit(s.submit);
    record(applied, 'Applied');
    if (s.expect?.status !== undefined) assert.equal(dossier.status, s.expect.status, `${file}: submit`);
    s.commands.forEach((c, i) => {
      const where = `${file}: commands[${i}]`;
      let run;
      if (c.advance) run = () => dossier.advance(c.advance.at);
      else if (c.command) run = () => dossier.apply(c.command);
      else return;
      if (c.reject) {
        assert.throws(run, (e) => {
          assert.ok(e instanceof MotcuaError, where);
          assert.equal(e.code, c.reject, where);
          record(details(e), 'MotcuaErrorDetails');
          return true;
        }, where);
      } else {
        record(run(), 'Applied');
      }
      if (c.expect?.status !== undefined) assert.equal(dossier.status, c.expect.status, where);
      if (c.expect?.active !== undefined) assert.deepEqual(dossier.toJSON().active.map((a) => a.step), c.expect.active, where);
    });
    record(dossier.toJSON(), 'DossierSnapshot');
    record(dossier.availableActions(), 'AvailableAction[]');
    record(dossier.punctuality(dossier.toJSON().updatedAt), 'Punctuality');
    for (const e of dossier.history()) record(e, 'Event');
    assert.deepEqual(procedure.replay(dossier.history()).toJSON(), dossier.toJSON(), `${file}: replay`);
    dossier.free();
  }
});

test('thrown errors carry MotcuaErrorDetails', () => {
  const birth = engine.loadProcedure(read(`specs/procedures/${PROCEDURES[0]}.yaml`), 'birth.yaml');
  const caught = (f) => { try { f(); } catch (e) { assert.ok(e instanceof MotcuaError); return e; } assert.fail('no error'); };
  record(details(caught(() => engine.loadProcedure(read(`specs/procedures/${PROCEDURES[0]}.yaml`).replace('to: examine', 'to: examin'), 'b.yaml'))), 'MotcuaErrorDetails');
  const bad = structuredClone(fixture.data);
  bad.declarant.citizen_id = '0011';
  record(details(caught(() => birth.submit({ dossierId: 'KS-2', commandId: 'c1', at: '2026-03-09T08:15:00+07:00',
    actor: { role: 'citizen' }, channel: 'online', jurisdiction: '00004', data: bad, documents: fixture.documents }))), 'MotcuaErrorDetails');
});

test('every output recorded above has exactly the shape index.d.ts declares', () => {
  assert.ok(samples.length > 20, `${samples.length} samples`);
  const errors = typecheck('conformance.ts', samples);
  assert.deepEqual(errors, [], `index.d.ts drifted from the engine (see test-results/conformance.ts):\n${errors.join('\n')}`);
});
