// Shared by the desk pages and the citizen's page: the language (vi first, en switchable),
// the development sign-in (a token from POST /dev/token kept in sessionStorage), calls to the
// JSON API with the token, and the small drawing helpers. Plain ES module, no framework.

// ---- language ----
const LANG_KEY = 'motcua.lang';
export let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
const renderers = [];

/** Registers a function called again whenever the language changes. */
export function onLanguage(render) {
  renderers.push(render);
}

function setLanguage(next) {
  lang = next;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next;
  translateStatic();
  for (const render of renderers) render();
}

const WORDS = {
  app: { vi: 'Bộ phận Một cửa', en: 'One-stop desk' },
  citizen_app: { vi: 'Nộp hồ sơ trực tuyến', en: 'Apply online' },
  dev_notice: {
    vi: 'Đăng nhập thử nghiệm (môi trường phát triển): chọn một danh tính, không cần mật khẩu. Không dùng khi vận hành thật.',
    en: 'Development sign-in: pick an identity, no password. Not for production use.',
  },
  identity: { vi: 'Danh tính', en: 'Identity' },
  custom: { vi: 'Tự nhập…', en: 'Custom…' },
  role: { vi: 'Vai trò', en: 'Role' },
  agency: { vi: 'Loại cơ quan', en: 'Agency kind' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  user: { vi: 'Người dùng', en: 'User' },
  sign_in: { vi: 'Đăng nhập', en: 'Sign in' },
  sign_out: { vi: 'Đăng xuất', en: 'Sign out' },
  signed_in_as: { vi: 'Đang đăng nhập:', en: 'Signed in as:' },
  not_signed_in: { vi: 'Chưa đăng nhập', en: 'Not signed in' },
  nav_desk: { vi: 'Danh sách hồ sơ', en: 'Work list' },
  nav_citizen: { vi: 'Nộp hồ sơ', en: 'Apply' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
};

/** The word for `key` in the current language (a page adds its own words with `words`). */
export function t(key) {
  const w = WORDS[key];
  return w ? w[lang] ?? w.vi : key;
}

/** Adds a page's words. */
export function words(more) {
  Object.assign(WORDS, more);
}

/** A `{vi, en}` text in the current language. */
export function tx(text) {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? text.vi ?? '';
}

/** Elements with `data-t="key"` get their text from the words. */
export function translateStatic() {
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  const toggle = document.getElementById('lang');
  if (toggle) toggle.textContent = lang === 'vi' ? 'English' : 'Tiếng Việt';
}

// ---- national statuses (src/status.rs) ----
const STATUS = {
  1: { vi: 'Mới đăng ký', en: 'New' },
  2: { vi: 'Được tiếp nhận', en: 'Received' },
  3: { vi: 'Không được tiếp nhận', en: 'Not received' },
  4: { vi: 'Đang xử lý', en: 'Processing' },
  5: { vi: 'Yêu cầu bổ sung giấy tờ', en: 'Supplement requested' },
  6: { vi: 'Yêu cầu thực hiện nghĩa vụ tài chính', en: 'Financial obligation requested' },
  7: { vi: 'Công dân yêu cầu rút hồ sơ', en: 'Withdrawal requested' },
  8: { vi: 'Dừng xử lý', en: 'Processing stopped' },
  9: { vi: 'Đã xử lý xong', en: 'Processing finished' },
  10: { vi: 'Đã trả kết quả', en: 'Result returned' },
};

/** `2 — Được tiếp nhận`. */
export function statusLabel(code) {
  return `${code} — ${tx(STATUS[code]) || '?'}`;
}

// ---- time ----
/** A date-time as people in Vietnam read it (Asia/Ho_Chi_Minh). */
export function when(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}

/** Working minutes as working days and hours (480 minutes = one working day). */
export function workingTime(minutes, dayMinutes = 480) {
  const late = minutes < 0;
  let m = Math.abs(minutes);
  const days = Math.floor(m / dayMinutes);
  m -= days * dayMinutes;
  const hours = Math.floor(m / 60);
  const mins = m % 60;
  const parts = [];
  if (days) parts.push(lang === 'vi' ? `${days} ngày` : `${days} d`);
  if (hours) parts.push(lang === 'vi' ? `${hours} giờ` : `${hours} h`);
  if (mins && !days) parts.push(lang === 'vi' ? `${mins} phút` : `${mins} min`);
  const text = parts.length ? parts.join(' ') : (lang === 'vi' ? '0 phút' : '0 min');
  if (late) return lang === 'vi' ? `quá hạn ${text}` : `${text} late`;
  return text;
}

// ---- sign-in (development) ----
const SESSION_KEY = 'motcua.identity';

/** Presets for the birth-registration procedure (1.001193) in Ba Đình ward (00004). */
export const PRESETS = [
  { id: 'citizen', sub: 'citizen-lan', role: 'citizen', label: { vi: 'Công dân (Nguyễn Thị Lan)', en: 'Citizen (Nguyễn Thị Lan)' } },
  { id: 'one_stop', sub: 'officer-motcua-00004', role: 'one_stop_officer', agency: 'commune_committee', unit: '00004',
    label: { vi: 'Công chức Một cửa — UBND phường 00004', en: 'One-stop officer — ward committee 00004' } },
  { id: 'civil_status', sub: 'officer-hotich-00004', role: 'civil_status_officer', agency: 'commune_committee', unit: '00004',
    label: { vi: 'Công chức hộ tịch — UBND phường 00004', en: 'Civil status officer — ward committee 00004' } },
  { id: 'leader', sub: 'leader-00004', role: 'leader', agency: 'commune_committee', unit: '00004',
    label: { vi: 'Lãnh đạo UBND phường 00004', en: 'Leader — ward committee 00004' } },
  { id: 'police', sub: 'police-00004', role: 'police_officer', agency: 'commune_police', unit: '00004',
    label: { vi: 'Công an phường 00004', en: 'Ward police 00004' } },
  { id: 'insurance', sub: 'bhxh-00004', role: 'insurance_officer', agency: 'social_insurance', unit: '00004',
    label: { vi: 'Bảo hiểm xã hội cơ sở 00004', en: 'Local social insurance 00004' } },
  { id: 'one_stop_70', sub: 'officer-motcua-00070', role: 'one_stop_officer', agency: 'commune_committee', unit: '00070',
    label: { vi: 'Công chức Một cửa — UBND phường 00070 (đơn vị khác)', en: 'One-stop officer — ward committee 00070 (another unit)' } },
];

/** The signed-in identity `{sub, role, agency, unit, token}`, or null. */
export function identity() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY));
  } catch {
    return null;
  }
}

/** Signs in through the development endpoint and keeps the token for this tab. */
export async function signIn({ sub, role, agency, unit }) {
  const body = { sub, role };
  if (agency) body.agency = agency;
  if (unit) body.unit = unit;
  const response = await fetch('/dev/token', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new ApiFailure(response.status, json);
  const who = { ...body, token: json.token };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(who));
  return who;
}

export function signOut() {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Draws the identity picker into `#signin`; `changed` runs after each sign-in or sign-out. */
export function signInBox(changed) {
  const box = document.getElementById('signin');
  const draw = () => {
    const who = identity();
    box.innerHTML = `
      <p class="dev-notice" data-t="dev_notice"></p>
      <div class="signin-row">
        <label><span data-t="identity"></span><select id="preset"></select></label>
        <span id="custom" class="hidden">
          <label><span data-t="user"></span><input id="who-sub" type="text" value="user-1"></label>
          <label><span data-t="role"></span><input id="who-role" type="text"></label>
          <label><span data-t="agency"></span><input id="who-agency" type="text"></label>
          <label><span data-t="unit"></span><input id="who-unit" type="text"></label>
        </span>
        <button type="button" id="sign-in" data-t="sign_in"></button>
        <button type="button" id="sign-out" class="secondary" data-t="sign_out"></button>
      </div>
      <p id="who" class="who"></p>
      <p id="signin-error" class="error" role="alert"></p>`;
    const select = box.querySelector('#preset');
    for (const p of PRESETS) select.append(new Option(tx(p.label), p.id));
    select.append(new Option(t('custom'), 'custom'));
    const current = who && PRESETS.find((p) => p.sub === who.sub && p.role === who.role && p.unit === who.unit);
    select.value = who ? (current ? current.id : 'custom') : 'citizen';
    const custom = box.querySelector('#custom');
    const showCustom = () => custom.classList.toggle('hidden', select.value !== 'custom');
    select.addEventListener('change', showCustom);
    if (who && !current) {
      box.querySelector('#who-sub').value = who.sub;
      box.querySelector('#who-role').value = who.role;
      box.querySelector('#who-agency').value = who.agency ?? '';
      box.querySelector('#who-unit').value = who.unit ?? '';
    }
    showCustom();
    box.querySelector('#who').textContent = who
      ? `${t('signed_in_as')} ${who.sub} · ${who.role}${who.agency ? ' · ' + who.agency : ''}${who.unit ? ' · ' + who.unit : ''}`
      : t('not_signed_in');
    box.querySelector('#sign-in').addEventListener('click', async () => {
      const preset = PRESETS.find((p) => p.id === select.value);
      const chosen = preset ?? {
        sub: box.querySelector('#who-sub').value.trim(),
        role: box.querySelector('#who-role').value.trim(),
        agency: box.querySelector('#who-agency').value.trim(),
        unit: box.querySelector('#who-unit').value.trim(),
      };
      try {
        await signIn(chosen);
        draw();
        changed();
      } catch (e) {
        box.querySelector('#signin-error').textContent = errorText(e);
      }
    });
    box.querySelector('#sign-out').addEventListener('click', () => {
      signOut();
      draw();
      changed();
    });
    translateStatic();
  };
  draw();
  onLanguage(draw);
}

// ---- the API ----
/** A refusal from the API: `{code, field, message: {vi, en}, problems?}`. */
export class ApiFailure extends Error {
  constructor(status, body) {
    super(body?.message?.en ?? `HTTP ${status}`);
    this.status = status;
    this.body = body ?? {};
  }
}

/** The message of an error, in the current language, with its code and problems. */
export function errorText(e) {
  if (e instanceof ApiFailure) {
    const b = e.body;
    const problems = (b.problems ?? []).map((p) => tx(p.message)).filter(Boolean);
    return `${tx(b.message) || e.message} [${b.code ?? e.status}]` + (problems.length ? ` — ${problems.join('; ')}` : '');
  }
  return String(e?.message ?? e);
}

/** A fresh idempotency key (one per user action, so a retried request is not applied twice). */
export function freshKey(prefix = 'web') {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Calls the API with the signed-in token; resolves `{body, etag}` or throws ApiFailure. */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const who = identity();
  const h = { accept: 'application/json', ...headers };
  if (who?.token) h.authorization = `Bearer ${who.token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { message: { vi: text, en: text } };
  }
  if (!response.ok) throw new ApiFailure(response.status, json);
  return { body: json, etag: response.headers.get('etag') };
}

// ---- names of codes ----
let namesOnce = null;
/** The names of agency kinds, roles and units (`GET /api/v1/names`), fetched once per page. */
export function names() {
  const none = { agencies: {}, roles: {}, units: {} };
  namesOnce ??= fetch('/api/v1/names').then((r) => (r.ok ? r.json() : none)).catch(() => none);
  return namesOnce;
}

/** A code's name in the chosen language (`table` from names()); the code itself when unknown. */
export function named(table, code) {
  const name = code == null ? null : table?.[code];
  return name ? tx(name) : (code ?? '');
}

// ---- drawing ----
/** An element with attributes and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k in node && k !== 'list') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** The page frame: the language toggle and the static words. */
export function frame() {
  document.documentElement.lang = lang;
  const toggle = document.getElementById('lang');
  toggle?.addEventListener('click', () => setLanguage(lang === 'vi' ? 'en' : 'vi'));
  translateStatic();
}
