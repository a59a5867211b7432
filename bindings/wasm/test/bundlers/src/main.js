// The app each bundler builds: both entries of the package, installed from its tarball, load the
// birth-registration procedure from the JSON specs the page's server serves under ./specs/ and
// validate an application with a wrong citizen ID. The result is written into #result.
import * as lite from 'motcua/lite';
import * as full from 'motcua';

const text = async (path) => {
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.text();
};

const [catalogue, calendar, procedure, application] = await Promise.all(
  ['vietnam', 'vn-gov', 'birth-registration-residence-insurance', 'birth-application']
    .map((name) => text(`./specs/${name}.json`)),
);

function validate({ Engine }) {
  const engine = Engine.loadJson({
    catalogue: { text: catalogue, file: 'vietnam.json' },
    calendars: [{ text: calendar, file: 'vn-gov.json' }],
  });
  const birth = engine.loadProcedureJson(procedure, 'birth-registration-residence-insurance.json');
  const { data, documents } = JSON.parse(application);
  data.declarant.citizen_id = '00119501234'; // 11 digits
  const { valid, problems } = birth.validateForm(data, documents, '2026-03-09');
  return { valid, problems: problems.map((p) => ({ path: p.path, code: p.code, vi: p.message.vi })) };
}

let result;
try {
  result = { lite: validate(lite), full: validate(full) };
} catch (e) {
  result = { error: `${e.name}: ${e.message}` };
}
document.getElementById('result').textContent = JSON.stringify(result);
document.body.dataset.ready = 'true';
