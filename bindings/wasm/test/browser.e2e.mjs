// The demo page in headless Debian Chromium (playwright-core, no browser download):
// type an invalid citizen ID, see the Vietnamese error, fix it, submit, see success.
// Run with `node --test test/browser.e2e.mjs` after ./build.sh; the screenshot goes to
// test-results/demo.png (gitignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../demo/server.mjs';

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

test('demo: invalid citizen ID → Vietnamese error → fixed → submitted', async () => {
  const server = await serve(0);
  // A fresh profile each run (Playwright takes it as the persistent context's user-data-dir).
  const profile = mkdtempSync(join(tmpdir(), 'motcua-chromium-'));
  let browser;
  try {
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 1400 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: 60000,
    });
    const page = browser.pages()[0] ?? await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Nothing may leave localhost.
    await page.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.abort());
    const base = `http://127.0.0.1:${server.address().port}`;
    await page.goto(`${base}/demo/?today=2026-03-09&now=2026-03-09T08:15:00%2B07:00`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 20000 });
    assert.match(await page.textContent('h1'), /Liên thông đăng ký khai sinh/);
    assert.match(await page.textContent('#diagram'), /^flowchart TD/);

    await page.click('#sample');
    assert.equal(await page.textContent('#summary'), 'Hồ sơ hợp lệ');

    const id = page.locator('[id="f-declarant.citizen_id"]');
    const error = page.locator('[id="e-declarant.citizen_id"]');
    await id.fill('');
    await id.pressSequentially('00119501234'); // 11 digits, typed key by key
    assert.equal(await error.textContent(), 'Số định danh cá nhân: số định danh cá nhân phải gồm đúng 12 chữ số');
    await page.click('#submit');
    assert.match(await page.textContent('#result'), /^Chưa nộp được: .*Số định danh cá nhân/);

    await id.press('End');
    await id.press('5'); // now 12 digits: 001195012345
    assert.equal(await error.textContent(), '');
    assert.equal(await page.textContent('#summary'), 'Hồ sơ hợp lệ');

    // The checklist follows the form: born at home, a witness statement is required instead.
    await page.selectOption('[id="f-child.birth_place_type"]', 'home');
    assert.match(await page.textContent('#d-witness_statement .status'), /Văn bản xác nhận của người làm chứng/);
    await page.selectOption('[id="f-child.birth_place_type"]', 'health_facility');
    assert.match(await page.textContent('#d-witness_statement .status'), /không cần/);

    await page.click('#submit');
    const result = await page.textContent('#result');
    assert.match(result, /^Đã nộp hồ sơ KS-DEMO-\d+\. Ngày hẹn trả kết quả: /);
    assert.match(result, /12\/3\/2026/);
    mkdirSync(new URL('../test-results/', import.meta.url), { recursive: true });
    await page.screenshot({ path: new URL('../test-results/demo.png', import.meta.url).pathname, fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser?.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
