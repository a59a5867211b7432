// Browsers and bundlers: fetches and instantiates the module next to this file.
import init, { __setErrorClass, Engine, Procedure, Dossier, FormSession } from './motcua_wasm.js';
import { MotcuaError } from './errors.js';

await init({ module_or_path: new URL('./motcua_wasm_bg.wasm', import.meta.url) });
__setErrorClass(MotcuaError);

export { Engine, Procedure, Dossier, FormSession, MotcuaError };
