// The package as an app installs it: from its `npm pack` tarball (see scripts/test.d/20-wasm.sh,
// which packs bindings/wasm/pkg and installs it here). The app in src/main.js is built with
// Vite, webpack 5 and esbuild, each with no configuration of its own for the package, and each
// build (and the Vite dev server) is opened in headless Debian Chromium, which must show the
// engine's answer to a form with a wrong citizen ID, from both entries (`motcua/lite` and
// `motcua`). Node imports both entries by name, and src/ssr.js is rendered server-side through
// Vite (dev and build) and a webpack `target: 'node'` bundle. `node --test bundlers.e2e.mjs` here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as vite from 'vite';
import webpack from 'webpack';
import * as esbuild from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const wasmDir = fileURLToPath(new URL('../../', import.meta.url));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const out = mkdtempSync(join(tmpdir(), 'motcua-bundlers-'));

// The JSON specs (written by build.sh with `motcua json`) and the application, served as
// static files under ./specs/ — for Vite from public/, for the other builds by the test server.
const publicSpecs = join(here, 'public', 'specs');
mkdirSync(publicSpecs, { recursive: true });
for (const name of ['vietnam', 'vn-gov', 'birth-registration-residence-insurance']) {
  cpSync(join(wasmDir, 'demo', 'specs', `${name}.json`), join(publicSpecs, `${name}.json`));
}
cpSync(join(wasmDir, 'test', 'fixtures', 'birth-application.json'), join(publicSpecs, 'birth-application.json'));

let browser;
before(async () => {
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'motcua-chromium-')), {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60000,
  });
});
after(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm' };

// A plain static server for a build: its folder first, then public/ (the specs).
function serveStatic(...roots) {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    for (const root of roots) {
      try {
        const body = await readFile(join(root, path));
        res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
        return res.end(body);
      } catch { /* next root */ }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Opens the app and returns what it wrote into #result, with the page's errors.
async function open(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.route((u) => !['127.0.0.1', 'localhost'].includes(u.hostname), (route) => route.abort());
  try {
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30000 })
      .catch((e) => { throw new Error(`${url}: the app did not finish: ${errors.join('; ') || e.message}`); });
    return { result: JSON.parse(await page.textContent('#result')), errors };
  } finally {
    await page.close();
  }
}

function assertValidated({ result, errors }) {
  assert.equal(result.error, undefined, result.error);
  for (const entry of ['lite', 'full']) {
    assert.equal(result[entry].valid, false, entry);
    assert.deepEqual(result[entry].problems.map((p) => [p.path, p.code]),
      [['$.declarant.citizen_id', 'invalid_citizen_id']], entry);
    assert.match(result[entry].problems[0].vi, /12 chữ số/, entry);
  }
  assert.deepEqual(errors, []);
}

async function openServed(dir) {
  const server = await serveStatic(dir, join(here, 'public'));
  try {
    return await open(`http://127.0.0.1:${server.address().port}/`);
  } finally {
    server.close();
  }
}

test('Node resolves both entries by name to their node condition', async () => {
  const require = createRequire(join(here, 'package.json'));
  assert.match(require.resolve('motcua/lite'), /lite-node\.js$/);
  assert.match(require.resolve('motcua'), /node\.js$/);
  const spec = (name) => readFileSync(join(publicSpecs, `${name}.json`), 'utf8');
  const { data, documents } = JSON.parse(spec('birth-application'));
  for (const entry of ['motcua/lite', 'motcua']) {
    const { Engine } = await import(entry);
    const birth = Engine.loadJson({ catalogue: { text: spec('vietnam') }, calendars: [{ text: spec('vn-gov') }] })
      .loadProcedureJson(spec('birth-registration-residence-insurance'), 'birth.json');
    assert.equal(birth.validateForm(data, documents, '2026-03-09').valid, true, entry);
  }
});

test('Vite dev server', async () => {
  // A fresh pre-bundle cache each run: Vite keys it on the lock file, which the tarball
  // (installed with --no-save) does not change. The pre-bundler is part of what is tested.
  const server = await vite.createServer({ root: here, configFile: false, logLevel: 'warn',
    cacheDir: join(out, 'vite-cache'), server: { host: '127.0.0.1', port: 0, strictPort: false } });
  await server.listen();
  try {
    assertValidated(await open(server.resolvedUrls.local[0]));
  } finally {
    await server.close();
  }
});

test('vite build', async () => {
  const dir = join(out, 'vite');
  await vite.build({ root: here, configFile: false, logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  assertValidated(await openServed(dir));
});

const rendered = '<ul data-entry="lite"><li data-code="invalid_citizen_id">Số định danh cá nhân: số định danh cá nhân phải gồm đúng 12 chữ số</li></ul>\n'
  + '<ul data-entry="full"><li data-code="invalid_citizen_id">Số định danh cá nhân: số định danh cá nhân phải gồm đúng 12 chữ số</li></ul>';

test('Vite SSR: ssrLoadModule in dev, vite build --ssr', async () => {
  const server = await vite.createServer({ root: here, configFile: false, logLevel: 'warn',
    cacheDir: join(out, 'vite-ssr-cache'), server: { middlewareMode: true }, appType: 'custom' });
  try {
    const { render } = await server.ssrLoadModule('/src/ssr.js');
    assert.equal(render(publicSpecs), rendered);
  } finally {
    await server.close();
  }
  // Inside the app, as a server runs it: the build leaves `motcua` to Node's resolution from
  // the app's node_modules (Vite externalizes dependencies in SSR builds).
  const dir = join(here, 'dist', 'ssr');
  await vite.build({ root: here, configFile: false, logLevel: 'warn',
    build: { ssr: 'src/ssr.js', outDir: dir, emptyOutDir: true } });
  const { render } = await import(join(dir, 'ssr.js'));
  assert.equal(render(publicSpecs), rendered);
});

test('webpack 5', async () => {
  const dir = join(out, 'webpack');
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production', context: here, entry: './src/main.js', output: { path: dir },
  }, (e, s) => (e ? reject(e) : resolve(s))));
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  writeFileSync(join(dir, 'index.html'), readFileSync(join(here, 'index.html'), 'utf8')
    .replace('<script type="module" src="./src/main.js"></script>', '<script src="./main.js"></script>'));
  assertValidated(await openServed(dir));
});

test('webpack 5, target node (SSR)', async () => {
  // The `node` entries bundled: their `.wasm` becomes an emitted asset read with fs.
  const dir = join(out, 'webpack-node');
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production', target: 'node', context: here, entry: './src/ssr.js',
    output: { path: dir, filename: 'ssr.cjs', library: { type: 'commonjs2' } },
  }, (e, s) => (e ? reject(e) : resolve(s))));
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  const { render } = createRequire(import.meta.url)(join(dir, 'ssr.cjs'));
  assert.equal(render(publicSpecs), rendered);
});

test('esbuild', async () => {
  const dir = join(out, 'esbuild');
  await esbuild.build({ absWorkingDir: here, entryPoints: ['src/main.js'], bundle: true, format: 'esm',
    outdir: dir, logLevel: 'warning' });
  // esbuild leaves `new URL('./x.wasm', import.meta.url)` as it is (evanw/esbuild#795): the
  // .wasm files go next to the bundle, at their paths in the package.
  const require = createRequire(join(here, 'package.json'));
  for (const wasm of ['motcua_wasm_bg.wasm', 'lite/motcua_wasm_bg.wasm']) {
    mkdirSync(dirname(join(dir, wasm)), { recursive: true });
    cpSync(require.resolve(`motcua/${wasm}`), join(dir, wasm));
  }
  writeFileSync(join(dir, 'index.html'), readFileSync(join(here, 'index.html'), 'utf8').replace('./src/main.js', './main.js'));
  assertValidated(await openServed(dir));
});
