#!/usr/bin/env node
// A stand-in for `phongdich demo` that implements the /api/v1 contract in memory,
// for front-end development and for checking the browser test itself:
//
//   node dev/mock-backend.mjs demo --addr 127.0.0.1:8080 --data /tmp/pd
//   PHONGDICH_BIN=dev/mock-backend.mjs npm run test:browser
//
// It serves web/dist at `/` (unknown paths fall back to index.html), writes
// DATA/demo.json and appends sent codes to DATA/sms-outbox.jsonl, like the real server.
// It is not the product: the Rust server is.

import { randomBytes, randomInt } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const repoRoot = resolve(webDir, '..');

// ---------------------------------------------------------------- arguments
const argv = process.argv.slice(2);
if (argv[0] !== 'demo') {
  console.error('usage: mock-backend.mjs demo --addr HOST:PORT --data DIR');
  process.exit(2);
}
if (argv.includes('--help')) {
  console.log('usage: mock-backend.mjs demo --addr HOST:PORT --data DIR');
  process.exit(0);
}
const arg = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : def;
};
const addr = arg('--addr', '127.0.0.1:8080');
const dataDir = resolve(arg('--data', join(repoRoot, 'target', 'mock-data')));
const [host, portText] = addr.split(':');
const port = Number(portText);
mkdirSync(dataDir, { recursive: true });

// ---------------------------------------------------------------- units
const csv = readFileSync(join(repoRoot, 'data/units/vn-2025.10.1.csv'), 'utf8').trim().split('\n').slice(1);
const units = new Map();
for (const line of csv) {
  const [code, parent_code, tier, kind, name] = line.split(',');
  units.set(code, { code, name, kind, tier, parent_code: parent_code || null, path: name });
}
for (const u of units.values()) {
  const parts = [u.name];
  let p = u.parent_code && units.get(u.parent_code);
  while (p) {
    parts.push(p.name);
    p = p.parent_code && units.get(p.parent_code);
  }
  u.path = parts.join(', ');
}
const fold = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();

// ---------------------------------------------------------------- demo data
let nextId = 1;
const id = () => nextId++;
const staff = [
  { id: id(), username: 'admin', password: 'admin-demo-pass', full_name: 'Quản Trị Viên', role: 'admin', unit_code: '01' },
  { id: id(), username: 'yte.hoankiem', password: 'yte-demo-pass', full_name: 'Nguyễn Thị Lan', role: 'health_official', unit_code: '01' },
  { id: id(), username: 'diadiem.hoankiem', password: 'venue-demo-pass', full_name: 'Trần Văn Bình', role: 'venue_staff', unit_code: '00070' },
];
const citizens = [
  { id: id(), phone: '+84912345678', full_name: 'Lê Văn An', unit_code: '00070', family: [], created_at: new Date().toISOString() },
  { id: id(), phone: '+84987654321', full_name: 'Phạm Thị Hoa', unit_code: '00073', family: [], created_at: new Date().toISOString() },
];
citizens[0].family.push({ id: id(), full_name: 'Lê Minh Khôi', birth_year: 2015, relation: 'child' });
const sessions = new Map();
const otps = new Map();
const audit = [];

const url = `http://${addr}`;
writeFileSync(
  join(dataDir, 'demo.json'),
  JSON.stringify(
    {
      url,
      staff: staff.map((s) => ({ username: s.username, password: s.password, role: s.role, unit: s.unit_code })),
      citizens: citizens.map((c) => ({ phone: `0${c.phone.slice(3)}`, name: c.full_name })),
      venues: [],
    },
    null,
    2,
  ),
);

// ---------------------------------------------------------------- helpers
const L = (vi, en) => ({ vi, en });
class Problem extends Error {
  constructor(status, code, message, errors) {
    super(code);
    Object.assign(this, { status, code, message, errors });
  }
}
const invalid = (errors) => new Problem(422, 'validation', L('Dữ liệu không hợp lệ', 'Invalid input'), errors);
const unitOf = (code) => (code ? units.get(code) ?? null : null);
const normPhone = (p) => {
  const d = String(p ?? '').replace(/[\s.-]/g, '');
  if (/^0\d{9}$/.test(d)) return `+84${d.slice(1)}`;
  if (/^\+84\d{9}$/.test(d)) return d;
  if (/^84\d{9}$/.test(d)) return `+${d}`;
  return null;
};
const inJurisdiction = (s, unitCode) => {
  for (let u = unitOf(unitCode); u; u = unitOf(u.parent_code)) if (u.code === s.unit_code) return true;
  return false;
};
function auth(req, kind) {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  const sess = m && sessions.get(m[1]);
  if (!sess) throw new Problem(401, 'unauthorized', L('Bạn cần đăng nhập', 'You need to sign in'));
  const who = sess.kind === 'citizen' ? citizens.find((c) => c.id === sess.id) : staff.find((s) => s.id === sess.id);
  if (kind && sess.kind !== kind) throw new Problem(403, 'forbidden', L('Bạn không có quyền', 'You are not allowed'));
  return { ...sess, who, token: m[1] };
}
const meBody = (a) =>
  a.kind === 'citizen'
    ? { kind: 'citizen', id: a.who.id, phone: a.who.phone, full_name: a.who.full_name, unit: unitOf(a.who.unit_code), family: a.who.family }
    : { kind: 'staff', id: a.who.id, username: a.who.username, full_name: a.who.full_name, role: a.who.role, unit: unitOf(a.who.unit_code) };
const newSession = (kind, who) => {
  const token = randomBytes(24).toString('hex');
  sessions.set(token, { kind, id: who.id });
  return { token, expires_at: new Date(Date.now() + 86400e3).toISOString(), kind };
};

// ---------------------------------------------------------------- routes
async function api(req, path, query, body) {
  const M = req.method;
  if (M === 'POST' && path === '/auth/otp') {
    const phone = normPhone(body.phone);
    if (!phone) throw invalid([{ field: 'phone', code: 'phone_invalid', message: L('Số điện thoại không hợp lệ', 'Invalid phone number') }]);
    const code = String(randomInt(0, 1e6)).padStart(6, '0');
    otps.set(phone, code);
    appendFileSync(join(dataDir, 'sms-outbox.jsonl'), `${JSON.stringify({ to: phone, text: `Ma xac thuc Phong Dich: ${code}. Het han sau 5 phut.`, at: new Date().toISOString() })}\n`);
    return [202, { expires_in: 300, resend_after: 60 }];
  }
  if (M === 'POST' && path === '/auth/otp/verify') {
    const phone = normPhone(body.phone);
    if (!phone || otps.get(phone) !== body.code) throw new Problem(401, 'otp_invalid', L('Mã xác thực không đúng hoặc đã hết hạn', 'The code is wrong or has expired'));
    otps.delete(phone);
    let c = citizens.find((x) => x.phone === phone);
    if (!c) citizens.push((c = { id: id(), phone, full_name: null, unit_code: null, family: [], created_at: new Date().toISOString() }));
    return [200, newSession('citizen', c)];
  }
  if (M === 'POST' && path === '/auth/login') {
    const s = staff.find((x) => x.username === body.username && x.password === body.password);
    if (!s) throw new Problem(401, 'login_failed', L('Sai tên đăng nhập hoặc mật khẩu', 'Wrong username or password'));
    return [200, newSession('staff', s)];
  }
  if (M === 'POST' && path === '/auth/logout') {
    sessions.delete(auth(req).token);
    return [204, null];
  }
  if (path === '/me') {
    const a = auth(req);
    if (M === 'GET') return [200, meBody(a)];
    if (M === 'PATCH' && a.kind === 'citizen') {
      const errors = [];
      if (body.full_name !== undefined && !String(body.full_name).trim()) errors.push({ field: 'full_name', code: 'required', message: L('Vui lòng nhập họ tên', 'Please enter a name') });
      if (body.unit_code !== undefined && unitOf(body.unit_code)?.tier !== 'commune') errors.push({ field: 'unit_code', code: 'unit_invalid', message: L('Đơn vị không hợp lệ', 'Invalid unit') });
      if (errors.length) throw invalid(errors);
      if (body.full_name !== undefined) a.who.full_name = String(body.full_name).trim();
      if (body.unit_code !== undefined) a.who.unit_code = body.unit_code;
      return [200, meBody(a)];
    }
  }
  if (M === 'POST' && path === '/me/family') {
    const a = auth(req, 'citizen');
    const errors = [];
    if (!String(body.full_name ?? '').trim()) errors.push({ field: 'full_name', code: 'required', message: L('Vui lòng nhập họ tên', 'Please enter a name') });
    const y = body.birth_year;
    if (!Number.isInteger(y) || y < 1900 || y > new Date().getFullYear()) errors.push({ field: 'birth_year', code: 'birth_year_invalid', message: L('Năm sinh không hợp lệ', 'Invalid birth year') });
    if (errors.length) throw invalid(errors);
    const m = { id: id(), full_name: String(body.full_name).trim(), birth_year: y, relation: body.relation };
    a.who.family.push(m);
    return [201, m];
  }
  let m;
  if (M === 'DELETE' && (m = /^\/me\/family\/(\d+)$/.exec(path))) {
    const a = auth(req, 'citizen');
    a.who.family = a.who.family.filter((f) => f.id !== Number(m[1]));
    return [204, null];
  }
  if (M === 'GET' && path === '/units') {
    const parent = query.get('parent');
    return [200, [...units.values()].filter((u) => (parent ? u.parent_code === parent : u.tier === 'province'))];
  }
  if (M === 'GET' && path === '/units/search') {
    const q = fold(query.get('q') ?? '').trim();
    const limit = Number(query.get('limit') ?? 20);
    if (q.length < 2) return [200, []];
    return [200, [...units.values()].filter((u) => fold(u.name).includes(q)).slice(0, limit)];
  }
  if (M === 'GET' && (m = /^\/units\/(\w+)$/.exec(path))) {
    const u = unitOf(m[1]);
    if (!u) throw new Problem(404, 'not_found', L('Không tìm thấy', 'Not found'));
    return [200, u];
  }
  if (M === 'GET' && path === '/citizens') {
    const a = auth(req, 'staff');
    if (!['health_official', 'admin'].includes(a.who.role)) throw new Problem(403, 'forbidden', L('Bạn không có quyền', 'You are not allowed'));
    const q = fold(query.get('q') ?? '').trim();
    const rows = citizens.filter((c) => c.unit_code && inJurisdiction(a.who, c.unit_code)).filter((c) => !q || fold(c.full_name ?? '').includes(q) || c.phone.includes(q));
    audit.push({ id: id(), at: new Date().toISOString(), actor: a.who.username, action: 'citizens.list', subject: q || null, unit_code: a.who.unit_code, outcome: 'ok' });
    return [200, rows.map((c) => ({ id: c.id, phone: c.phone, full_name: c.full_name, unit: unitOf(c.unit_code), family_count: c.family.length }))];
  }
  if (M === 'GET' && (m = /^\/citizens\/(\d+)$/.exec(path))) {
    const a = auth(req, 'staff');
    const c = citizens.find((x) => x.id === Number(m[1]));
    if (!c) throw new Problem(404, 'not_found', L('Không tìm thấy', 'Not found'));
    audit.push({ id: id(), at: new Date().toISOString(), actor: a.who.username, action: 'citizen.view', subject: `citizen:${c.id}`, unit_code: c.unit_code, outcome: 'ok' });
    return [200, { id: c.id, phone: c.phone, full_name: c.full_name, unit: unitOf(c.unit_code), family: c.family, created_at: c.created_at }];
  }
  if (path === '/staff' || path === '/audit') {
    const a = auth(req, 'staff');
    if (a.who.role !== 'admin') throw new Problem(403, 'forbidden', L('Bạn không có quyền', 'You are not allowed'));
    if (M === 'GET' && path === '/audit') return [200, [...audit].reverse().slice(0, Number(query.get('limit') ?? 100))];
    if (M === 'GET') return [200, staff.map((s) => ({ id: s.id, username: s.username, full_name: s.full_name, role: s.role, unit: unitOf(s.unit_code) }))];
    if (M === 'POST') {
      const errors = [];
      if (!/^[a-z0-9._-]{3,}$/.test(body.username ?? '')) errors.push({ field: 'username', code: 'username_invalid', message: L('Tên đăng nhập không hợp lệ', 'Invalid username') });
      if (staff.some((s) => s.username === body.username)) errors.push({ field: 'username', code: 'username_taken', message: L('Tên đăng nhập đã tồn tại', 'Username is taken') });
      if (String(body.password ?? '').length < 8) errors.push({ field: 'password', code: 'password_short', message: L('Mật khẩu cần ít nhất 8 ký tự', 'Password needs at least 8 characters') });
      if (!unitOf(body.unit_code)) errors.push({ field: 'unit_code', code: 'unit_invalid', message: L('Đơn vị không hợp lệ', 'Invalid unit') });
      if (errors.length) throw invalid(errors);
      const s = { id: id(), username: body.username, password: body.password, full_name: body.full_name, role: body.role, unit_code: body.unit_code };
      staff.push(s);
      return [201, { id: s.id, username: s.username, full_name: s.full_name, role: s.role, unit: unitOf(s.unit_code) }];
    }
  }
  throw new Problem(404, 'not_found', L('Không tìm thấy', 'Not found'));
}

// ---------------------------------------------------------------- server
const dist = join(webDir, 'dist');
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

const server = createServer(async (req, res) => {
  const u = new URL(req.url, url);
  const send = (status, body, type = 'application/json') => {
    res.writeHead(status, body == null ? {} : { 'content-type': type });
    res.end(body == null ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  };
  try {
    if (u.pathname === '/healthz') return send(200, { status: 'ok' });
    if (u.pathname.startsWith('/api/v1/')) {
      let body = {};
      const chunks = [];
      for await (const c of req) chunks.push(c);
      if (chunks.length) body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const [status, out] = await api(req, u.pathname.slice(7), u.searchParams, body);
      return send(status, out);
    }
    if (u.pathname.startsWith('/api/')) throw new Problem(404, 'not_found', L('Không tìm thấy', 'Not found'));
    let file = join(dist, decodeURIComponent(u.pathname));
    if (!file.startsWith(dist) || !existsSync(file) || u.pathname === '/') file = join(dist, 'index.html');
    return send(200, readFileSync(file), types[extname(file)] ?? 'application/octet-stream');
  } catch (err) {
    if (err instanceof Problem) {
      const { status, code, message, errors } = err;
      return send(status, { type: `urn:phongdich:problem:${code}`, title: message.en, status, code, message, ...(errors ? { errors } : {}) }, 'application/problem+json');
    }
    console.error(err);
    return send(500, 'internal error', 'text/plain');
  }
});
server.listen(port, host, () => console.log(`mock phongdich listening on ${url}, data in ${dataDir}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
