// Compiled by `tsc --noEmit -p test/tsconfig.json`: the lite entry reads JSON specs only.
import { Engine, MotcuaError, type Validation } from '../pkg/lite.js';

const engine: Engine = Engine.loadJson({ catalogue: { text: '{}' }, calendars: [] });
const procedure = engine.loadProcedureJson('{}', 'birth.json');
const v: Validation = procedure.validateForm({}, null, '2026-03-09');
// @ts-expect-error the lite module has no YAML reader
Engine.load({ catalogue: { text: '' }, calendars: [] });
export const lite = [v.valid, MotcuaError.name];
