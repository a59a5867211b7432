// Vitest, in Node: both entries of the package installed from its tarball, with no
// configuration. Node resolves them to the `node` export condition, which reads the .wasm
// with `fs` (no fetch of a file: URL).
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import * as lite from 'motcua/lite';
import * as full from 'motcua';
import { MotcuaError } from 'motcua';

// The JSON specs build.sh writes with `motcua json`, and the application of the Node tests.
const spec = (name) => readFileSync(new URL(`../../../demo/specs/${name}.json`, import.meta.url), 'utf8');
const { data, documents } = JSON.parse(readFileSync(new URL('../../fixtures/birth-application.json', import.meta.url), 'utf8'));

describe.each([['motcua/lite', lite], ['motcua', full]])('%s under Vitest', (_, { Engine }) => {
  const engine = Engine.loadJson({
    catalogue: { text: spec('vietnam'), file: 'vietnam.json' },
    calendars: [{ text: spec('vn-gov'), file: 'vn-gov.json' }],
  });
  const birth = engine.loadProcedureJson(spec('birth-registration-residence-insurance'), 'birth.json');

  test('validates a form', () => {
    expect(birth.validateForm(data, documents, '2026-03-09').valid).toBe(true);
    const bad = structuredClone(data);
    bad.declarant.citizen_id = '00119501234';
    const { valid, problems } = birth.validateForm(bad, documents, '2026-03-09');
    expect(valid).toBe(false);
    expect(problems.map((p) => [p.path, p.code])).toEqual([['$.declarant.citizen_id', 'invalid_citizen_id']]);
    expect(problems[0].message.vi).toMatch(/12 chữ số/);
  });

  test('throws a MotcuaError with a code', () => {
    expect(() => engine.loadProcedureJson('{"code": ', 'cut.json')).toThrowError(MotcuaError);
    expect(() => engine.loadProcedureJson('{"code": ', 'cut.json')).toThrowError(expect.objectContaining({ code: 'json_syntax', file: 'cut.json' }));
  });
});

test('the lite module has no YAML reader, the full one has', () => {
  expect(lite.Engine.load).toBeUndefined();
  expect(typeof full.Engine.load).toBe('function');
});
