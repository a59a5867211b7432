// The one error class of the package. Every failure of the engine (a procedure that does not
// load, a refused command, an invalid argument) is thrown as a MotcuaError.
export class MotcuaError extends Error {
  constructor(details) {
    super(details.messages.en);
    this.name = 'MotcuaError';
    /** Stable machine-readable code, e.g. "unknown_step", "invalid_form". */
    this.code = details.code;
    /** The file a load error is in ("" otherwise). */
    this.file = details.file;
    /** Dotted spec path (load errors) or the command field at fault (rejections). */
    this.path = details.path;
    /** 1-based line and column of a load error; 0 when not known. */
    this.line = details.line;
    this.column = details.column;
    /** The message in Vietnamese and English. */
    this.messages = details.messages;
    /** Every diagnostic of a load error. */
    this.diagnostics = details.diagnostics;
    /** Every form or document problem of an `invalid_form` rejection. */
    this.problems = details.problems;
  }
}
