// Browsers and bundlers, the lite module: specs as JSON only (what `motcua json FILE` prints),
// no YAML parser inside — the smaller download. Everything else is the full engine.
import init, { __setErrorClass, Engine, Procedure, Dossier, FormSession } from './lite/motcua_wasm.js';
import { MotcuaError } from './errors.js';

await init({ module_or_path: new URL('./lite/motcua_wasm_bg.wasm', import.meta.url) });
__setErrorClass(MotcuaError);

export { Engine, Procedure, Dossier, FormSession, MotcuaError };
