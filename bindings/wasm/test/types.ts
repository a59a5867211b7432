// Compiled by `tsc --noEmit -p test/tsconfig.json`: the package's types, used as a frontend would.
import { readFileSync } from 'node:fs';
import {
  Engine, MotcuaError,
  type Applied, type Command, type Diagnostic, type DossierSnapshot, type Effect, type Event,
  type Problem, type ProcedureInfo, type Submission, type Validation,
} from '../pkg/index.js';

const engine: Engine = Engine.load({
  catalogue: { text: readFileSync('specs/catalogue/vietnam.yaml', 'utf8'), file: 'vietnam.yaml' },
  calendars: [{ text: readFileSync('specs/calendars/vn-gov.yaml', 'utf8') }],
});
const procedure = engine.loadProcedure('…', 'birth.yaml');
const info: ProcedureInfo = procedure.info();
const firstStep: string = Object.keys(info.steps)[0];
const label: string = info.form?.fields['declarant']?.fields?.['citizen_id']?.label.vi ?? firstStep;
const warnings: Diagnostic[] = procedure.warnings();

const v: Validation = procedure.validateForm({ declarant: { citizen_id: '0011' } }, [], '2026-03-09');
const messages: string[] = v.problems.map((p: Problem) => `${p.path}: ${p.message.vi}`);
const complete: boolean = procedure.checkDocuments([{ id: 'birth_certificate', fromDatabase: 'population' }], {}, '2026-03-09').complete;

const submission: Submission = {
  dossierId: 'KS-1', commandId: 'c1', at: '2026-03-09T08:15:00+07:00', actor: { role: 'citizen' },
  channel: 'online', jurisdiction: '00004', data: {}, documents: [{ id: 'x', files: [{ name: 'a.pdf', mediaType: 'application/pdf', size: 1 }] }],
};
const { dossier, applied } = procedure.submit(submission);
const accept: Command = { id: 'c2', at: new Date().toISOString(), actor: { role: 'one_stop_officer', agency: 'commune_committee' }, expectedVersion: dossier.version, type: 'act', action: 'accept' };
const extend: Command = { id: 'c3', at: '2026-03-10T09:00:00+07:00', actor: { role: 'leader' }, type: 'extend', appointment: '2026-03-13T17:00:00+07:00', reason: 'Tết' };
const result: Applied = dossier.apply(accept);
dossier.apply(extend);
for (const effect of result.effects as Effect[]) {
  if (effect.type === 'hand_off') console.log(effect.toAgency, effect.direction, effect.key);
  if (effect.type === 'appointment_set') console.log(effect.appointment, effect.cause);
}
const events: Event[] = dossier.history();
const snapshot: DossierSnapshot = dossier.toJSON();
const appointment: string = snapshot.deadline.appointment;
const again = procedure.replay(events);
const due: string | undefined = again.nextDue();
const when: string = procedure.addWorkingTime(procedure.startOfCount(new Date()), '3d');
const mermaid: string = procedure.diagramMermaid('vi');

try {
  engine.loadProcedure('motcua: 1', 'x.yaml');
} catch (e) {
  if (e instanceof MotcuaError) {
    const where: string = `${e.file}:${e.line}:${e.column} ${e.path} [${e.code}] ${e.messages.vi}`;
    const all: number = e.diagnostics.length + e.problems.length;
    console.log(where, all);
  }
}
console.log(label, warnings, messages, complete, applied.duplicate, appointment, due, when, mermaid);

// A form session: one field at a time, the problems that changed back.
import type { FormSession, ProblemDelta } from '../pkg/index.js';
const session: FormSession = procedure.formSession('2026-03-09');
const delta: ProblemDelta = session.set('child.birth_date', '2026-03-01');
const appeared: string[] = delta.added.map((p: Problem) => p.path);
const gone: number = session.remove('household_members[0]').removed.length;
const all: Problem[] = session.problems();
const same: Validation = session.validation();
session.setDocuments([{ id: 'birth_certificate', originals: 1 }]);
session.free();
