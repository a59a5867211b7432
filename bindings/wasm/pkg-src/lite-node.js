// Node, the lite module: reads it next to this file synchronously (no fetch of a file: URL).
import { readFileSync } from 'node:fs';
import { initSync, __setErrorClass, Engine, Procedure, Dossier, FormSession } from './lite/motcua_wasm.js';
import { MotcuaError } from './errors.js';

initSync({ module: readFileSync(new URL('./lite/motcua_wasm_bg.wasm', import.meta.url)) });
__setErrorClass(MotcuaError);

export { Engine, Procedure, Dossier, FormSession, MotcuaError };
