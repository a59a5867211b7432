// The package's types as an app's TypeScript finds them through the `types` export condition,
// installed from the tarball (checked with moduleResolution bundler and nodenext).
import { Engine, MotcuaError } from 'motcua/lite';
import * as full from 'motcua';

const engine: Engine = Engine.loadJson({ catalogue: { text: '{}' }, calendars: [] });
const birth: full.Procedure = engine.loadProcedureJson('{}', 'birth.json');
const code: string = birth.validateForm({}, null, '2026-03-09').problems[0]?.code ?? '';
const error: MotcuaError | null = null;
// @ts-expect-error the lite module has no YAML reader
Engine.load;
full.Engine.load({ catalogue: { text: '' }, calendars: [] });
export { code, error };
