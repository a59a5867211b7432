// The desk pages and the citizen's page of the real motcua-server in headless Debian Chromium
// (playwright-core, no browser download). The server binary runs on a free port with a
// temporary SQLite file and the repository's specs, in development sign-in mode:
//   1. the citizen fills the birth-registration form (validated in the browser by the WASM
//      engine served under /pkg/), sees an error fixed, submits it and gets an id and an
//      appointment;
//   2. the one-stop officer of ward 00004 sees that dossier on the work list and accepts it
//      from the dossier page: the status is 2 over the API;
//   3. the civil status officer proposes and the leader signs: the dossier forks to the
//      police and social insurance;
//   4. a one-stop officer of ward 00070 does not see it, on the list or by its id;
//   5. the police register the residence, social insurance issues the card, and the one-stop
//      officer hands the results over: status 10, closed, no action left.
// On the way: the citizen follows the dossier, paging of the list, the late view, the vi/en
// toggle, an officer's refused command and a stale If-Match shown with their messages.
// A second test adds a procedure to a copy of specs/ (the birth registration under another
// code, with a stricter rule): the citizen page lists it, compiles the texts the server
// serves for it and shows the stricter rule's problem, which the shipped procedure does not.
// Run by scripts/test.d/38-server-browser.sh (which builds the binary and the WASM package);
// alone: `node --test desk.e2e.mjs` with MOTCUA_SERVER_BIN pointing at a built binary.
// Screenshots go to target/desk-screenshots/ (their paths are printed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(new URL('../../..', import.meta.url).pathname);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shots = join(root, 'target', 'desk-screenshots');
// The scenario's form data and documents (tests/scenarios/birth-registration-happy-police-first.yaml).
const sample = JSON.parse(readFileSync(join(root, 'bindings/wasm/demo/sample.json'), 'utf8'));

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function startServer(specs = join(root, 'specs'), { wasm = true } = {}) {
  let bin = process.env.MOTCUA_SERVER_BIN;
  if (!bin) {
    execFileSync('cargo', ['build', '--locked', '-p', 'motcua-server'], { cwd: root, stdio: 'inherit' });
    bin = join(root, 'target', 'debug', 'motcua-server');
  }
  const pkg = join(root, 'bindings/wasm/pkg');
  if (wasm) assert.ok(existsSync(join(pkg, 'index.js')), `the WASM package is not built (${pkg}): run bindings/wasm/build.sh`);
  const dir = mkdtempSync(join(tmpdir(), 'motcua-desk-'));
  const port = await freePort();
  // Without the package, the server runs from an empty folder, where its default
  // (bindings/wasm/pkg) finds nothing, as a plain `motcua serve` would.
  const child = spawn(bin, ['--database', join(dir, 'desk.db'), '--listen', `127.0.0.1:${port}`, '--specs', specs,
    ...(wasm ? ['--wasm-package', pkg] : []), '--timer-seconds', '0'],
  { cwd: wasm ? root : dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop); // the trap: never leave the server behind
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch { /* not yet */ }
    if (i > 300) throw new Error(`the server did not become ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, stop, child };
}

const launch = (profile) => chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1280, height: 1200 },
  locale: 'vi-VN',
  timezoneId: 'Asia/Ho_Chi_Minh',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 60000,
});

test('desk: citizen submits, one-stop officer accepts, the dossier goes to the end, another ward sees nothing', async () => {
  const server = await startServer();
  const { base } = server;
  const token = async (who) => (await (await fetch(`${base}/dev/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who),
  })).json()).token;
  const getDossier = async (id, who) => {
    const r = await fetch(`${base}/api/v1/dossiers/${id}`, { headers: { authorization: `Bearer ${await token(who)}` } });
    return { status: r.status, body: await r.json() };
  };
  const oneStop = { sub: 'officer-motcua-00004', role: 'one_stop_officer', agency: 'commune_committee', unit: '00004' };

  const profile = mkdtempSync(join(tmpdir(), 'motcua-chromium-'));
  mkdirSync(shots, { recursive: true });
  const saved = [];
  let browser;
  try {
    browser = await launch(profile);
    const page = browser.pages()[0] ?? await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Nothing may leave the service: every request to another host is refused and recorded.
    const outside = [];
    await page.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => {
      outside.push(route.request().url());
      return route.abort();
    });
    const shot = async (name) => {
      const path = join(shots, name);
      await page.screenshot({ path, fullPage: true });
      saved.push(path);
    };
    const signIn = async (preset, sub) => {
      await page.selectOption('#preset', preset);
      await page.click('#sign-in');
      await page.waitForFunction((s) => document.getElementById('who')?.textContent.includes(s), sub);
    };

    // ---- 1. the citizen's form ----
    await page.goto(`${base}/citizen`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
    assert.match(await page.textContent('.dev-notice'), /Đăng nhập thử nghiệm/);
    assert.match(await page.textContent('#procedure-title'), /khai sinh/);
    await signIn('citizen', 'citizen-lan');

    // Every field the page drew, filled as the citizen would; the repeating household list
    // is not drawn (it is optional).
    const fill = async (data, prefix = '') => {
      for (const [k, v] of Object.entries(data)) {
        const path = prefix ? `${prefix}.${k}` : k;
        if (Array.isArray(v)) continue;
        if (v && typeof v === 'object') { await fill(v, path); continue; }
        const input = page.locator(`[id="f-${path}"]`);
        if (!(await input.count())) continue;
        const tag = await input.evaluate((e) => e.tagName + ':' + e.type);
        if (tag.startsWith('SELECT')) await input.selectOption(String(v));
        else if (tag === 'INPUT:checkbox') await input.setChecked(Boolean(v));
        else await input.fill(String(v));
      }
    };
    await fill(sample.data);
    for (const d of sample.documents) await page.check(`#d-${d.id} input`);
    assert.equal(await page.textContent('#summary'), 'Hồ sơ hợp lệ');

    // The WASM engine's message, in Vietnamese, as the citizen types a short ID.
    const id = page.locator('[id="f-declarant.citizen_id"]');
    await id.fill('');
    await id.pressSequentially('00119501234');
    assert.equal(await page.textContent('[id="e-declarant.citizen_id"]'), 'Số định danh cá nhân: số định danh cá nhân phải gồm đúng 12 chữ số');
    assert.match(await page.textContent('#summary'), /^1 lỗi cần sửa/);
    // In English after the toggle, and back.
    await page.click('#lang');
    assert.match(await page.textContent('[id="e-declarant.citizen_id"]'), /12 digits/);
    await page.click('#lang');
    await id.press('End');
    await id.press('5');
    assert.equal(await page.textContent('[id="e-declarant.citizen_id"]'), '');
    assert.equal(await page.textContent('#summary'), 'Hồ sơ hợp lệ');

    await page.click('#submit');
    await page.waitForSelector('body[data-submitted]');
    assert.equal(await page.getAttribute('body', 'data-submitted'), 'ok', await page.textContent('#result'));
    const dossierId = (await page.textContent('#dossier-id')).trim();
    assert.match(dossierId, /^HS-[0-9a-f]{16}$/);
    assert.match(await page.textContent('#result'), /^Đã nộp hồ sơ HS-[0-9a-f]{16}\. Ngày hẹn trả kết quả: \d\d:\d\d \d\d\/\d\d\/\d{4} · Theo dõi hồ sơ$/);
    await shot('1-citizen-submitted.png');

    const submitted = await getDossier(dossierId, { sub: 'citizen-lan', role: 'citizen' });
    assert.equal(submitted.status, 200);
    assert.equal(submitted.body.status, 1);
    assert.equal(submitted.body.jurisdiction, '00004');
    assert.equal(submitted.body.data.child.full_name, 'Trần Minh Khôi');
    assert.deepEqual(submitted.body.active.map((a) => a.step), ['receive']);

    // The citizen follows it on the dossier page: status 1, no officer's action is theirs.
    await page.click('#follow');
    await page.waitForSelector('body[data-ready=true][data-status="1"]');
    assert.equal(await page.textContent('#status'), '1 — Mới đăng ký');
    assert.equal(await page.isDisabled('#actions button[data-action=accept]'), true);
    assert.match(await page.textContent('#actions button[data-action=accept]'), /không được phép: forbidden/);

    // A second dossier (over the API), for the list's paging.
    const second = await fetch(`${base}/api/v1/dossiers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token({ sub: 'citizen-hung', role: 'citizen' })}`, 'content-type': 'application/json', 'idempotency-key': 'second-1' },
      body: JSON.stringify({ procedure: '1.001193', jurisdiction: '00004', data: sample.data,
        documents: sample.documents.map((d) => d.fromDatabase ? { id: d.id, from_database: d.fromDatabase }
          : { id: d.id, files: d.files.map((f) => ({ name: f.name, media_type: f.mediaType, size: f.size })) }) }),
    });
    assert.equal(second.status, 201, await second.clone().text());
    const secondId = (await second.json()).dossier.id;

    // ---- 2. the one-stop officer's desk ----
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready=true]');
    assert.match(await page.textContent('.dev-notice'), /Đăng nhập thử nghiệm/);
    await signIn('one_stop', oneStop.sub);
    const row = page.locator(`#desk tr[data-id="${dossierId}"]`);
    await row.waitFor();
    assert.equal(await row.locator('td.status').textContent(), '1 — Mới đăng ký');
    assert.match(await row.getAttribute('data-signal'), /^(green|amber)$/);
    assert.match(await row.locator('td.appointment').textContent(), /\d\d\/\d\d\/\d{4}/);
    assert.match(await row.locator('td.left').textContent(), /\d+ (ngày|giờ|phút)/);
    // Names, not codes: the ward and the procedure as the catalogue and units call them.
    assert.equal(await row.locator('td.unit').textContent(), 'Phường Ba Đình');
    assert.match(await row.textContent(), /Liên thông đăng ký khai sinh/);
    await shot('2-desk-one-stop-00004.png');
    assert.equal(await page.locator(`#desk tr[data-id="${secondId}"]`).count(), 1);
    // Paging by `next`: one row a page, two pages.
    await page.goto(`${base}/?limit=1`);
    await page.waitForSelector('body[data-ready=true][data-rows="1"]');
    const firstPage = await page.getAttribute('#desk tbody tr', 'data-id');
    assert.equal(await page.isEnabled('#next'), true);
    await page.click('#next');
    await page.waitForFunction((id) => document.querySelector('#desk tbody tr')?.dataset.id !== id, firstPage);
    assert.deepEqual([firstPage, await page.getAttribute('#desk tbody tr', 'data-id')].sort(), [dossierId, secondId].sort());
    assert.equal(await page.textContent('#page-info'), 'Trang 2');
    await page.waitForFunction(() => document.getElementById('next').disabled);
    await page.goto(`${base}/`);
    await row.waitFor();
    // The late view does not hold a dossier just submitted.
    await page.click('[data-view=late]');
    await page.waitForFunction(() => document.body.dataset.rows === '0' && document.getElementById('desk-message').textContent !== '');
    assert.equal(await page.textContent('#desk-message'), 'Không có hồ sơ nào trong danh sách này.');
    await page.click('[data-view=open]');
    await row.waitFor();
    // English labels after the toggle.
    await page.click('#lang');
    assert.equal(await row.locator('td.status').textContent(), '1 — New');
    assert.equal(await row.locator('td.unit').textContent(), 'Ba Đình ward');
    assert.equal(await page.textContent('header h1'), 'One-stop desk');
    await page.click('#lang');

    // ---- the dossier page: accept ----
    await row.locator('a').click();
    await page.waitForURL(/\/desk\/dossier\?id=/);
    await page.waitForSelector('body[data-ready=true][data-status="1"]');
    assert.equal(await page.textContent('#status'), '1 — Mới đăng ký');
    assert.match(await page.textContent('#appointment'), /\d\d\/\d\d\/\d{4}/);
    assert.equal(await page.locator('#documents li').count(), sample.documents.length);
    assert.equal(await page.locator('#events li[data-type=submitted]').count(), 1);
    const accept = page.locator('#actions button[data-action=accept]');
    assert.equal(await accept.isEnabled(), true);
    await shot('3-dossier-before-accept.png');
    await accept.click();
    await page.waitForSelector('body[data-ready=true][data-status="2"]');
    assert.equal(await page.textContent('#status'), '2 — Được tiếp nhận');
    assert.equal(await page.textContent('#action-result'), 'Đã thực hiện: Tiếp nhận');
    assert.equal(await page.textContent('#timeline tr[data-step=receive] td.action'), 'Tiếp nhận');
    assert.equal(await page.textContent('#jurisdiction'), 'Phường Ba Đình (00004)');
    assert.match(await page.textContent('#timeline tr[data-step=receive]'), /Ủy ban nhân dân cấp xã.*Phường Ba Đình/);
    // The one-stop officer may not take the next step's action: shown, disabled, with the code.
    const propose = page.locator('#actions button[data-action=propose]');
    assert.equal(await propose.isDisabled(), true);
    assert.match(await propose.textContent(), /forbidden/);
    await shot('4-dossier-accepted.png');

    const accepted = await getDossier(dossierId, oneStop);
    assert.equal(accepted.body.status, 2);
    assert.deepEqual(accepted.body.active.map((a) => a.step), ['examine']);
    assert.equal(accepted.body.log[0].step, 'receive');
    assert.equal(accepted.body.log[0].action, 'accept');
    assert.equal(accepted.body.log[0].by.user, oneStop.sub);

    // ---- 3. civil status officer proposes, the leader signs ----
    // An officer's error is shown with its message: an extension without a date.
    await page.click('.extend summary');
    await page.click('#extend');
    await page.waitForSelector('body[data-refused]');
    assert.match(await page.textContent('#action-error'), /\S.*\[[a-z_]+\]$/);
    await page.evaluate(() => delete document.body.dataset.refused);

    await signIn('civil_status', 'officer-hotich-00004');
    await page.waitForSelector('#actions button[data-action=propose]:not([disabled])');
    // Someone else proposes it first (over the API): the page's If-Match is stale, the
    // refusal is shown with its message, and the page shows the dossier as it now stands.
    const civilStatus = { sub: 'officer-hotich-00004', role: 'civil_status_officer', agency: 'commune_committee', unit: '00004' };
    const first = await fetch(`${base}/api/v1/dossiers/${dossierId}/commands`, {
      method: 'POST', body: JSON.stringify({ type: 'act', action: 'propose' }),
      headers: { authorization: `Bearer ${await token(civilStatus)}`, 'content-type': 'application/json', 'if-match': '"2"', 'idempotency-key': 'api-propose-1' },
    });
    assert.equal(first.status, 200, await first.clone().text());
    await page.click('#actions button[data-action=propose]');
    await page.waitForSelector('body[data-refused][data-status="4"]');
    assert.match(await page.textContent('#action-error'), /\[version_conflict\]$/);
    assert.equal(await page.textContent('#status'), '4 — Đang xử lý');
    await shot('5-dossier-stale-version.png');
    await signIn('leader', 'leader-00004');
    await page.waitForSelector('#actions button[data-action=sign]:not([disabled])');
    await page.click('#actions button[data-action=sign]');
    await page.waitForSelector('#active [data-step=insurance_card]');
    assert.deepEqual(await page.locator('#active .chip').evaluateAll((e) => e.map((x) => x.dataset.step)), ['residence', 'insurance_card']);
    assert.deepEqual(await page.locator('#timeline tbody tr:not(.open) td.action').allTextContents(),
      ['Tiếp nhận', 'Trình ký', 'Ký và chuyển liên thông']);
    await shot('6-dossier-signed.png');
    const signed = await getDossier(dossierId, oneStop);
    assert.equal(signed.body.status, 4);
    assert.deepEqual(signed.body.active.map((a) => a.step).sort(), ['insurance_card', 'residence']);

    // The police see it on their list now.
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready=true]');
    await signIn('police', 'police-00004');
    await page.locator(`#desk tr[data-id="${dossierId}"]`).waitFor();

    // ---- 4. an officer of another ward ----
    await signIn('one_stop_70', 'officer-motcua-00070');
    await page.waitForFunction(() => document.body.dataset.rows === '0' && document.getElementById('desk-message').textContent !== '');
    assert.equal(await page.locator(`#desk tr[data-id="${dossierId}"]`).count(), 0);
    assert.equal(await page.textContent('#desk-message'), 'Không có hồ sơ nào trong danh sách này.');
    await shot('7-desk-other-unit-00070.png');
    await page.goto(`${base}/desk/dossier?id=${dossierId}`);
    await page.waitForSelector('body[data-ready=true]');
    assert.match(await page.textContent('#load-error'), new RegExp(`^Không tìm thấy hồ sơ \`${dossierId}\``));
    assert.equal(await page.isHidden('#dossier'), true);
    const other = await getDossier(dossierId, { sub: 'officer-motcua-00070', role: 'one_stop_officer', agency: 'commune_committee', unit: '00070' });
    assert.equal(other.status, 404);
    // The police of the ward open it from the same page.


    // ---- 5. the two branches, then the results handed over ----
    await signIn('police', 'police-00004');
    await page.waitForSelector('#actions button[data-action=register_residence]:not([disabled])');
    // The police may not issue the insurance card: shown, refused.
    assert.match(await page.textContent('#actions button[data-action=issue_card]'), /không được phép: (forbidden|wrong_unit)/);
    await page.click('#actions button[data-action=register_residence]');
    await page.waitForFunction(() => document.querySelectorAll('#active .chip').length === 1 && document.body.dataset.ready === 'true');
    await signIn('insurance', 'bhxh-00004');
    await page.waitForSelector('#actions button[data-action=issue_card]:not([disabled])');
    await page.click('#actions button[data-action=issue_card]');
    await page.waitForSelector('body[data-ready=true][data-status="9"]');
    assert.equal(await page.textContent('#status'), '9 — Đã xử lý xong');
    await signIn('one_stop', oneStop.sub);
    await page.waitForSelector('#actions button[data-action=hand_over]:not([disabled])');
    await page.click('#actions button[data-action=hand_over]');
    await page.waitForSelector('body[data-ready=true][data-status="10"]');
    assert.match(await page.textContent('#status'), /^10 — Đã trả kết quả · Đã kết thúc: Đã trả Giấy khai sinh/);
    assert.equal(await page.locator('#actions button').count(), 0);
    assert.equal(await page.textContent('#actions'), 'Hồ sơ không còn thao tác nào.');
    await shot('8-dossier-results-returned.png');
    const closed = await getDossier(dossierId, oneStop);
    assert.equal(closed.body.status, 10);
    assert.equal(closed.body.closure.outcome, 'issued');

    assert.deepEqual(errors, []);
    assert.deepEqual(outside, []);
  } finally {
    await browser?.close();
    server.stop();
    rmSync(profile, { recursive: true, force: true });
    for (const path of saved) console.log(`screenshot: ${path}`);
  }
});

test('citizen page: a procedure added to --specs validates in the browser with the rules the server serves', async () => {
  // A copy of specs/ with one procedure more: the birth registration as 9.000001, whose
  // declarant's name may have at most 12 characters (the shipped one allows 100).
  const specs = mkdtempSync(join(tmpdir(), 'motcua-specs-'));
  cpSync(join(root, 'specs'), specs, { recursive: true });
  const shipped = readFileSync(join(root, 'specs/procedures/birth-registration-residence-insurance.yaml'), 'utf8');
  const name = 'full_name: {label: {vi: "Họ, chữ đệm và tên", en: Full name}, type: text, required: true, max_length: 100}';
  assert.ok(shipped.includes(name), 'the declarant name field of the shipped spec');
  const added = shipped.replace('code: "1.001193"', 'code: "9.000001"')
    .replace(name, name.replace('max_length: 100', 'max_length: 12'))
    .replace('vi: "Liên thông đăng ký khai sinh', 'vi: "Thử nghiệm: liên thông đăng ký khai sinh');
  writeFileSync(join(specs, 'procedures/zz-test-short-names.yaml'), added);
  const server = await startServer(specs);
  const { base } = server;
  const source = await (await fetch(`${base}/api/v1/procedures/9.000001/source`)).json();
  assert.equal(source.procedure.text, added, 'the server serves the text it loaded');

  const profile = mkdtempSync(join(tmpdir(), 'motcua-chromium-'));
  mkdirSync(shots, { recursive: true });
  let browser;
  try {
    browser = await launch(profile);
    const page = browser.pages()[0] ?? await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const served = [];
    page.on('request', (r) => { if (r.url().includes('/source')) served.push(new URL(r.url()).pathname); });
    const nameSlot = '[id="e-declarant.full_name"]';
    const typeName = async () => {
      await page.locator('[id="f-declarant.full_name"]').fill('Nguyễn Thị Lan'); // 14 characters
    };

    // The shipped procedure by default: the name is fine.
    await page.goto(`${base}/citizen`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
    await typeName();
    assert.equal(await page.textContent(nameSlot), '');
    // The list offers the added procedure; choosing it opens its form.
    const offered = await page.$$eval('#procedure option', (os) => os.map((o) => o.value));
    assert.ok(offered.includes('9.000001') && offered.includes('1.001193'), offered.join(','));
    await Promise.all([page.waitForURL(/procedure=9\.000001/), page.selectOption('#procedure', '9.000001')]);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
    assert.match(await page.textContent('#procedure-title'), /^Thử nghiệm: liên thông đăng ký khai sinh/);
    assert.match(await page.textContent('#procedure-sub'), /9\.000001/);
    await typeName();
    const problem = await page.textContent(nameSlot);
    assert.match(problem, /12/, `the stricter rule of the served spec: ${problem}`);
    // The server says the same of the same data.
    const check = await (await fetch(`${base}/api/v1/procedures/9.000001/validate`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { declarant: { full_name: 'Nguyễn Thị Lan' } } }),
    })).json();
    const there = check.problems.find((p) => p.path === '$.declarant.full_name');
    assert.ok(there, JSON.stringify(check.problems));
    assert.ok(problem.includes(there.message.vi), `browser: ${problem} / server: ${there.message.vi}`);
    await page.screenshot({ path: join(shots, '9-citizen-added-procedure.png'), fullPage: true });
    assert.deepEqual(served, ['/api/v1/procedures/1.001193/source', '/api/v1/procedures/9.000001/source']);
    assert.deepEqual(errors, []);
  } finally {
    await browser?.close();
    server.stop();
    rmSync(profile, { recursive: true, force: true });
    rmSync(specs, { recursive: true, force: true });
  }
});

test('citizen page without the WASM package: the service validates as the citizen types, and takes the dossier', async () => {
  const server = await startServer(join(root, 'specs'), { wasm: false });
  const { base } = server;
  assert.equal((await fetch(`${base}/pkg/index.js`)).status, 404, 'no browser module is served');
  const profile = mkdtempSync(join(tmpdir(), 'motcua-chromium-'));
  mkdirSync(shots, { recursive: true });
  let browser;
  try {
    browser = await launch(profile);
    const page = browser.pages()[0] ?? await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const validations = [];
    page.on('request', (r) => { if (r.url().endsWith('/validate')) validations.push(r.postDataJSON()); });
    await page.goto(`${base}/citizen`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
    assert.equal(await page.getAttribute('body', 'data-validator'), 'service');
    assert.match(await page.textContent('#checked-by'), /Kiểm tra bởi máy chủ/);
    assert.match(await page.textContent('#procedure-title'), /khai sinh/);
    assert.match(await page.textContent('#procedure-sub'), /1\.001193 · \d+ ngày làm việc/);
    // The form is drawn in the spec's order, as the browser module draws it.
    const drawn = await page.$$eval('#form [id^="f-"]', (inputs) => inputs.slice(0, 3).map((i) => i.id));
    assert.deepEqual(drawn, ['f-declarant.full_name', 'f-declarant.citizen_id', 'f-declarant.relationship']);
    const checked = async () => page.getAttribute('body', 'data-checked');
    const settled = async (before) => page.waitForFunction((b) => document.body.dataset.checked !== b, before);

    // A short ID: the service's message appears in its slot once typing pauses.
    let before = await checked();
    await page.locator('[id="f-declarant.citizen_id"]').pressSequentially('00119501234');
    await settled(before);
    await page.waitForFunction(() => document.getElementById('e-declarant.citizen_id').textContent !== '');
    assert.equal(await page.textContent('[id="e-declarant.citizen_id"]'), 'Số định danh cá nhân: số định danh cá nhân phải gồm đúng 12 chữ số');
    // One request per pause, not one per keystroke.
    assert.ok(validations.length < 11, `${validations.length} requests for 11 keystrokes`);

    // The sample data and its documents: valid, the checklist complete (documents sent in the
    // service's snake_case shape).
    before = await checked();
    await page.click('#sample');
    await settled(before);
    await page.waitForFunction(() => document.getElementById('summary').textContent === 'Hồ sơ hợp lệ');
    const sent = validations.at(-1);
    assert.ok(sent.documents.some((d) => d.from_database === 'civil_status'), JSON.stringify(sent.documents));
    assert.equal(await page.textContent('#d-birth_certificate .status'), '✓ đã có');

    await page.selectOption('#preset', 'citizen');
    await page.click('#sign-in');
    await page.waitForFunction(() => document.getElementById('who')?.textContent.includes('citizen-lan'));
    await page.click('#submit');
    await page.waitForSelector('body[data-submitted]');
    assert.equal(await page.getAttribute('body', 'data-submitted'), 'ok', await page.textContent('#result'));
    assert.match((await page.textContent('#dossier-id')).trim(), /^HS-[0-9a-f]{16}$/);
    await page.screenshot({ path: join(shots, '10-citizen-validated-by-the-service.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser?.close();
    server.stop();
    rmSync(profile, { recursive: true, force: true });
  }
});
