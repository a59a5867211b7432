// Node: reads the module next to this file synchronously.
import { readFileSync } from 'node:fs';
import { initSync, __setErrorClass, Engine, Procedure, Dossier, FormSession } from './motcua_wasm.js';
import { MotcuaError } from './errors.js';

initSync({ module: readFileSync(new URL('./motcua_wasm_bg.wasm', import.meta.url)) });
__setErrorClass(MotcuaError);

export { Engine, Procedure, Dossier, FormSession, MotcuaError };
