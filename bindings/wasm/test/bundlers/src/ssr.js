// Server-side rendering: the module Vite runs in Node (`ssrLoadModule` in dev, `vite build
// --ssr` for production). Both entries resolve to their `node` condition there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lite from 'motcua/lite';
import * as full from 'motcua';

// Renders the problems of an application with an 11-digit citizen ID, from the JSON specs in
// `specs` (a folder), as an HTML list per entry.
export function render(specs) {
  const read = (name) => readFileSync(join(specs, `${name}.json`), 'utf8');
  const { data, documents } = JSON.parse(read('birth-application'));
  data.declarant.citizen_id = '00119501234';
  return [['lite', lite], ['full', full]].map(([name, { Engine }]) => {
    const birth = Engine.loadJson({ catalogue: { text: read('vietnam') }, calendars: [{ text: read('vn-gov') }] })
      .loadProcedureJson(read('birth-registration-residence-insurance'), 'birth.json');
    const { problems } = birth.validateForm(data, documents, '2026-03-09');
    return `<ul data-entry="${name}">${problems.map((p) => `<li data-code="${p.code}">${p.message.vi}</li>`).join('')}</ul>`;
  }).join('\n');
}
