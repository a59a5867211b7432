// Types of the motcua package: every object that crosses the boundary.
//
// Keys the engine defines are camelCase. Identifiers people wrote — form field names in
// `data`, step, action, outcome, document and field ids, message `params` — are exactly as
// in the spec (usually snake_case). Values that are codes ("invalid_citizen_id",
// "request_withdrawal", "on_time") are the engine's stable snake_case strings.
// Instants are RFC 3339 strings with an offset ("2026-02-13T16:00:00+07:00"); arguments
// named `now`, `at`-like instants also accept a JS Date. Dates are "YYYY-MM-DD".

/** RFC 3339 instant with its offset, e.g. "2026-02-25T17:00:00+07:00". */
export type Instant = string;
/** A calendar date, "YYYY-MM-DD". */
export type IsoDate = string;
/** Working time as people say it: "3d", "0.5d", "4h". */
export type WorkingDuration = string;
/** A JSON value (form data, message parameters). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An engine message: always both languages. */
export interface Message { vi: string; en: string }
/** A label written by spec authors: Vietnamese required, English optional. */
export interface Text { vi: string; en?: string }

// ---- errors ------------------------------------------------------------------------------

export type Severity = 'warning' | 'error';

/** A load problem with its place. Lines and columns are 1-based; 0 when not known. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  /** Dotted path such as "steps.appraisal.actions.approve.to"; "" for the root. */
  path: string;
  message: Message;
  help?: Message;
  /** Where the primary span ends, just after its last character, when known. */
  end?: Position;
  /** Other places of the same file that explain this one (rustc's secondary labels). */
  labels?: Label[];
}

/** A 1-based line and column; columns count Unicode scalar values. */
export interface Position {
  line: number;
  column: number;
}

/** A secondary label of a diagnostic: a span of the same file, with what it has to do with it. */
export interface Label {
  line: number;
  column: number;
  end?: Position;
  path: string;
  message: Message;
}

/** One form or checklist problem. */
export interface Problem {
  /** JSON path: "$.child.birth_date", "$.household_members[2].citizen_id", "$.documents.birth_certificate". */
  path: string;
  code: string;
  /** Message parameters (min, max, value, reason, rule, …). */
  params?: { [key: string]: Json };
  /** The field's or document's label. */
  label?: Text;
  message: Message;
}

export interface MotcuaErrorDetails {
  code: string;
  file: string;
  path: string;
  line: number;
  column: number;
  messages: Message;
  diagnostics: Diagnostic[];
  problems: Problem[];
}

/** Thrown by every failing call: a procedure that does not load, a refused command, a bad argument. */
export class MotcuaError extends Error implements MotcuaErrorDetails {
  constructor(details: MotcuaErrorDetails);
  readonly name: 'MotcuaError';
  /** Stable code: "unknown_step", "invalid_form", "version_conflict", "invalid_type", … */
  code: string;
  /** The file of a load error ("" otherwise). */
  file: string;
  /** The spec path of a load error, or the command field at fault of a rejection. */
  path: string;
  line: number;
  column: number;
  messages: Message;
  /** Every diagnostic of a load error (warnings included). */
  diagnostics: Diagnostic[];
  /** Every problem of an `invalid_form` rejection. */
  problems: Problem[];
}

// ---- forms and documents -----------------------------------------------------------------

export interface FileMeta { name: string; mediaType: string; size: number }

/** A document handed in, uploaded, or taken from a national database. */
export interface SubmittedDocument {
  /** The checklist id, e.g. "birth_certificate". */
  id: string;
  originals?: number;
  copies?: number;
  files?: FileMeta[];
  /** e.g. "population", "civil_status". */
  fromDatabase?: string;
}

export interface Validation {
  valid: boolean;
  /** No problem outside `$.documents`. */
  formValid: boolean;
  /** No problem under `$.documents`. */
  documentsComplete: boolean;
  /** Form fields first (in form order), then documents. */
  problems: Problem[];
}

export interface DocumentCheck {
  complete: boolean;
  /** Only the `$.documents…` problems. */
  problems: Problem[];
}

// ---- the procedure as written --------------------------------------------------------------

export type FieldType =
  | 'text' | 'integer' | 'decimal' | 'money' | 'boolean' | 'date' | 'datetime' | 'code'
  | 'phone' | 'email' | 'citizen_id' | 'tax_code' | 'admin_unit' | 'attachment' | 'group';

export interface FieldSpec {
  label: Text;
  help?: Text;
  type: FieldType;
  required?: boolean;
  requiredIf?: string;
  visibleIf?: string;
  minLength?: number;
  maxLength?: number;
  /** A number, a date, or an expression such as "add_years(today, -6)". */
  min?: number | string;
  max?: number | string;
  pattern?: string;
  patternMessage?: Text;
  /** Allowed codes and their labels, keyed by code. */
  codes?: { [code: string]: Text };
  level?: 'province' | 'district' | 'commune';
  mediaTypes?: string[];
  maxSize?: number;
  maxFiles?: number;
  repeat?: { min: number; max: number };
  /** Sub-fields of a group, keyed by field id. */
  fields?: { [field: string]: FieldSpec };
  rules?: { [rule: string]: RuleSpec };
}

export interface RuleSpec { when?: string; check: string; field?: string; message: Text }

export interface FormSpec {
  title?: Text;
  fields: { [field: string]: FieldSpec };
  rules?: { [rule: string]: RuleSpec };
}

export interface DocumentSpec {
  name: Text;
  originals: number;
  copies: number;
  /** Absent: required unless `requiredIf` decides; false: optional. */
  required?: boolean;
  requiredIf?: string;
  formats?: string[];
  maxSize?: number;
  replaceableBy?: string;
  template?: string;
  note?: Text;
}

export type Channel = 'in_person' | 'online' | 'postal';
export type SlipKind = 'receipt' | 'supplement_request' | 'refusal' | 'apology_extension' | 'stopped' | 'result' | 'new_appointment';
export type OutcomeKind = 'result_issued' | 'refused' | 'not_received' | 'stopped' | 'withdrawn';

export interface ActionSpec {
  name?: Text;
  /** A step or outcome, or several steps run in parallel. */
  to: string | string[];
  by?: { role: string; agency?: string };
  slip?: SlipKind;
  guard?: string;
  /** A timer: taken by `advance` this long after the step started. */
  after?: WorkingDuration;
  cancelsBranches?: boolean;
  /** Decisions the action records, keyed by decision id (declared in `decisions`). */
  decides?: { [decision: string]: boolean };
}

export interface StepSpec {
  name: Text;
  agency?: string;
  role: string;
  status?: number;
  budget?: WorkingDuration;
  /** The budget in a deadline case, keyed by case id. */
  caseBudgets?: { [deadlineCase: string]: WorkingDuration };
  clock?: 'runs' | 'suspended';
  join?: boolean;
  /** What the step's agency receives in a hand-off (form paths, document ids); nothing else leaves the sender. */
  receives?: { fields?: string[]; documents?: string[] };
  actions: { [action: string]: ActionSpec };
}

/** `procedure.info()`: the procedure as its spec says. */
export interface ProcedureInfo {
  motcua: number;
  catalogue: string;
  /** National procedure code, e.g. "1.001193". */
  code: string;
  name: Text;
  version: string;
  validFrom: IsoDate;
  validUntil?: IsoDate;
  legalBasis: { document: string; title?: Text }[];
  sector: Text;
  serviceMode: 'full_online' | 'partial_online' | 'offline';
  channels: Channel[];
  legalDeadline: WorkingDuration;
  /** Cases with their own deadline, tried in order; none holds: `legalDeadline`. */
  deadlineCases?: {
    [deadlineCase: string]: {
      name?: Text; when?: string; decision?: string; deadline: WorkingDuration;
      basis?: { document: string; title?: Text };
    };
  };
  /** Decisions officers record with `decides`, keyed by decision id. */
  decisions?: { [decision: string]: { name: Text } };
  calendar: string;
  /** e.g. "15:00". */
  cutoff?: string;
  dueSoon?: WorkingDuration;
  /** The legal checklist, in order, keyed by document id. */
  documents?: { [document: string]: DocumentSpec };
  form?: FormSpec;
  withdrawal?: boolean;
  /** In order; the first is where dossiers start. */
  steps: { [step: string]: StepSpec };
  outcomes: { [outcome: string]: { name: Text; kind: OutcomeKind } };
}

// ---- dossiers ----------------------------------------------------------------------------

export interface Actor {
  role: string;
  agency?: string;
  unit?: string;
  user?: string;
}

export interface Submission {
  dossierId: string;
  /** Idempotency key. */
  commandId: string;
  at: Instant;
  actor: Actor;
  channel: Channel;
  jurisdiction: string;
  /** The form data, keyed by the form's field ids. */
  data?: Json;
  documents?: SubmittedDocument[];
  /** Desk intake of an incomplete dossier (officers only). */
  allowIncomplete?: boolean;
}

interface CommandBase {
  /** Idempotency key. */
  id: string;
  at: Instant;
  actor: Actor;
  /** Optimistic concurrency: the dossier version the command was decided on. */
  expectedVersion?: number;
}

export type Command = CommandBase & (
  | { type: 'act'; action: string; step?: string; data?: Json; documents?: SubmittedDocument[] }
  | { type: 'request_withdrawal'; reason?: string }
  | { type: 'confirm_withdrawal' }
  | { type: 'decline_withdrawal'; reason?: string }
  | { type: 'extend'; appointment: Instant; reason: string }
);

export interface TimerDue { action: string; at: Instant }
/** `unit`: the administrative unit handling the step, when the library has units. */
export interface StepDue { step: string; due?: Instant; timer?: TimerDue; unit?: string }

export interface Timing {
  clockStart?: Instant;
  appointment?: Instant;
  usedMinutes?: number;
  resumedAfter?: number;
  started?: StepDue[];
  /** Provisional calendar days (YYYY-MM-DD) the appointment was counted across. */
  provisionalDays?: string[];
  /** The deadline case this event put in force (`case` absent: the default). */
  deadlineCase?: { case?: string };
}

interface EventBase {
  seq: number;
  at: Instant;
  commandId: string;
  actor: Actor;
  /** SHA-256 (hex) of the previous event: the tamper-evident chain; absent on the first. */
  prev?: string;
  timing?: Timing;
}

/** An accepted change: the truth the host stores (`Procedure.replay` rebuilds a dossier from them). */
export type Event = EventBase & (
  | {
      type: 'submitted'; dossierId: string; procedure: string; version: string; channel: Channel;
      jurisdiction: string; data: Json; documents?: SubmittedDocument[];
    }
  | {
      type: 'action_taken'; step: string; action: string; data?: Json; documents?: SubmittedDocument[];
      /** Decisions the action recorded, keyed by decision id. */
      decisions?: { [decision: string]: boolean };
    }
  | { type: 'withdrawal_requested'; reason?: string }
  | { type: 'withdrawal_declined'; reason?: string }
  | { type: 'withdrawn' }
  | { type: 'extended'; appointment: Instant; reason: string }
  | { type: 'timer_fired'; step: string; action: string }
  | {
      /** Moved to another version of its procedure (`motcua::version::migrate`). */
      type: 'migrated'; fromVersion: string; toVersion: string; migrationSha256: string;
      steps: { from: string; to: string; usedMinutes: number }[];
      waiting?: Record<string, number>; data: Json; documents?: SubmittedDocument[];
    }
);

/** Something the host must do: report, queue, send, print. `key` is an idempotency key. */
export type Effect = { key: string } & (
  | { type: 'status_changed'; from?: number; to: number }
  | { type: 'step_started'; step: string; agency?: string; role: string; unit?: string; due?: Instant }
  | {
      type: 'appointment_set'; appointment: Instant; cause: 'submitted' | 'resumed' | 'extended' | 'case_changed' | 'migrated';
      /** Provisional calendar days (YYYY-MM-DD) the deadline was counted across: "expected". */
      provisionalDays?: string[];
      /** With cause `case_changed`: what the notice of the new appointment says. */
      deadlineCase?: {
        case?: string; name?: Text; deadline: WorkingDuration; basis?: { document: string; title?: Text };
        previous: Instant;
      };
    }
  | { type: 'clock_suspended' }
  | { type: 'clock_resumed'; suspendedMinutes: number }
  | {
      type: 'hand_off'; fromStep: string; toStep: string; fromAgency: string; toAgency: string;
      toLevel: string; direction: 'horizontal' | 'upward' | 'downward'; jurisdiction: string;
      /** The receiving administrative unit, when the library has units. */
      toUnit?: string;
      /** The form fields the receiving step declares in `receives`, and nothing else. */
      data?: Json;
      /** The documents the receiving step declares in `receives`, and nothing else. */
      documents?: SubmittedDocument[];
    }
  | { type: 'slip'; slip: SlipKind; step: string; action: string }
  /** A step still active when the dossier closed: take it off that agency's queue. */
  | { type: 'step_cancelled'; step: string; agency?: string }
  | { type: 'closed'; outcome: string; kind: OutcomeKind }
);

export interface Applied {
  events: Event[];
  effects: Effect[];
  /** The command id had been applied before: nothing changed, these are the original results. */
  duplicate: boolean;
  /** Problems recorded at a desk intake (`allowIncomplete`). */
  problems?: Problem[];
}

/** An action an active step offers. */
export interface AvailableAction { step: string; action: string }

export type Punctuality = 'early' | 'on_time' | 'due_soon' | 'late';

export interface ActiveStep { step: string; since: Instant; due?: Instant; timer?: TimerDue; unit?: string }

export interface Deadline {
  clockStart: Instant;
  /** The appointment in force (ngày hẹn trả kết quả). */
  appointment: Instant;
  firstAppointment: Instant;
  suspendedSince?: Instant;
  suspendedMinutes: number;
  extended: boolean;
  /** The deadline case in force; absent for the default case. */
  case?: string;
  /** Provisional calendar days (YYYY-MM-DD) the appointment was counted across: "expected" until announced. */
  provisionalDays?: string[];
}

export interface StepRecord {
  step: string;
  agency?: string;
  /** The administrative unit that handled it, when the library has units. */
  unit?: string;
  entered: Instant;
  left: Instant;
  action: string;
  by: Actor;
  due?: Instant;
  allottedMinutes: number;
  usedMinutes: number;
}

/** `dossier.toJSON()`: the snapshot. */
export interface DossierSnapshot {
  id: string;
  procedure: string;
  procedureVersion: string;
  version: number;
  channel: Channel;
  jurisdiction: string;
  data: Json;
  documents?: SubmittedDocument[];
  submittedAt: Instant;
  updatedAt: Instant;
  active: ActiveStep[];
  /** Branches waiting at join steps, keyed by step id. */
  arrived?: { [step: string]: number };
  /** National status code 1–10. */
  status: number;
  /** `cancelled`: the steps still active when it closed (each had a `step_cancelled` effect). */
  closure?: { outcome: string; kind: OutcomeKind; at: Instant; cancelled?: string[] };
  withdrawalRequested: boolean;
  supplementRequests: number;
  /** Decisions officers recorded, keyed by decision id. */
  decisions?: { [decision: string]: boolean };
  deadline: Deadline;
  log: StepRecord[];
  /** SHA-256 (hex) of the last event: what `verify_history` checks a stored history against. */
  head: string;
  history: Event[];
}

// ---- the classes -------------------------------------------------------------------------

export interface Source {
  /** The YAML text. */
  text: string;
  /** The name errors point at, e.g. "specs/catalogue/vietnam.yaml". */
  file?: string;
}

export interface LoadOptions {
  catalogue: Source;
  /** A calendar that `extends` another comes after it. */
  calendars?: Source[];
}

/** The catalogue and calendars procedures are compiled against. */
export class Engine {
  private constructor();
  /** Catalogue and calendars in YAML. */
  static load(options: LoadOptions): Engine;
  /** Catalogue and calendars in JSON (`motcua json FILE`). */
  static loadJson(options: LoadOptions): Engine;
  /** Compiles a procedure written in YAML; throws a MotcuaError with `diagnostics` when it does not load. */
  loadProcedure(yaml: string, file: string): Procedure;
  /** Compiles a procedure given as JSON (`motcua json FILE`): the same checks, placed in the JSON text. */
  loadProcedureJson(json: string, file: string): Procedure;
  free(): void;
}

/** The problems one session edit made appear and disappear (the JSON shape of `Validation.problems`). */
export interface ProblemDelta {
  added: Problem[];
  removed: Problem[];
}

/**
 * One procedure's form data and documents held in the module between edits, for validation
 * on every keystroke. Paths are the problems' JSON paths, with or without `$`:
 * `child.birth_date`, `household_members[2].full_name`. A refused edit throws a MotcuaError
 * (`invalid_value` for a malformed path or an index past the end, `invalid_type` for a path
 * through a value that is not an object or list) and changes nothing.
 */
export class FormSession {
  private constructor();
  /** Sets one field (a list item is added at index = the list's length). */
  set(path: string, value: Json | object): ProblemDelta;
  /** Removes a field or a list item (the items after it shift). */
  remove(path: string): ProblemDelta;
  /** Replaces the whole form data. */
  setData(data: Json | object): ProblemDelta;
  /** Replaces the submitted documents and re-checks the checklist. */
  setDocuments(documents: SubmittedDocument[] | undefined | null): ProblemDelta;
  /** Every problem, in `validateForm`'s order. */
  problems(): Problem[];
  /** What `validateForm` would return for `data()` and `documents()`. */
  validation(): Validation;
  data(): { [key: string]: Json };
  documents(): SubmittedDocument[];
  free(): void;
}

/** A compiled procedure. */
export class Procedure {
  private constructor();
  readonly code: string;
  readonly version: string;
  info(): ProcedureInfo;
  warnings(): Diagnostic[];
  /** Validates the form data and the documents as of `today`. */
  validateForm(data: Json | object, documents: SubmittedDocument[] | undefined | null, today: IsoDate): Validation;
  /**
   * A form session on `today`: the form data lives in the module and `set` re-checks only
   * what reads the edited field. Its problems always equal `validateForm`'s for its data.
   */
  formSession(today: IsoDate): FormSession;
  /** The checklist alone. */
  checkDocuments(documents: SubmittedDocument[] | undefined | null, data: Json | object, today: IsoDate): DocumentCheck;
  /** Opens a dossier; throws a MotcuaError (code "invalid_form" with `problems`, …) when refused. */
  submit(submission: Submission): { dossier: Dossier; applied: Applied };
  /** Rebuilds a dossier from stored events, re-checking each. */
  replay(events: Event[]): Dossier;
  /** When the legal clock starts for a dossier received at `received` (the procedure's cut-off hour). */
  startOfCount(received: Instant | Date): Instant;
  /** `start` plus working time on the procedure's calendar. */
  addWorkingTime(start: Instant | Date, duration: WorkingDuration): Instant;
  workingMinutesBetween(from: Instant | Date, to: Instant | Date): number;
  /** Mermaid flowchart with agency swimlanes. */
  diagramMermaid(lang: 'vi' | 'en'): string;
  /** Graphviz DOT. */
  diagramDot(lang: 'vi' | 'en'): string;
  free(): void;
}

/** One dossier, bound to the procedure version it was opened under. */
export class Dossier {
  private constructor();
  readonly id: string;
  readonly version: number;
  /** National status code 1–10. */
  readonly status: number;
  /** Applies a command; throws a MotcuaError and changes nothing when refused. */
  apply(command: Command): Applied;
  /** Fires the timers due at `now`. */
  advance(now: Instant | Date): Applied;
  /** The earliest pending timer: when the host should call `advance` next (undefined: none). */
  nextDue(): Instant | undefined;
  punctuality(now: Instant | Date): Punctuality;
  availableActions(): AvailableAction[];
  history(): Event[];
  toJSON(): DossierSnapshot;
  free(): void;
}
