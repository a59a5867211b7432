// Types of `motcua/lite`: the same engine and objects as `motcua`, reading specs as JSON only.
import type { LoadOptions, Procedure as FullProcedure } from './index.js';
export * from './index.js';

/** The shared data procedures are compiled against, read from JSON (`motcua json FILE`). */
export declare class Engine {
  private constructor();
  /** `{catalogue: {text, file}, calendars: [{text, file}]}`, texts in JSON. */
  static loadJson(options: LoadOptions): Engine;
  /** Compiles a procedure given as JSON; throws a MotcuaError with `diagnostics` when it does not load. */
  loadProcedureJson(json: string, file: string): FullProcedure;
  free(): void;
}
