// End-to-end harness: starts the real riskroom-server (release build, built
// app, its own SQLite file on a free port) and Debian's Chromium through
// playwright-core. Each learner gets their own browser context.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const serverBin = process.env.RISKROOM_SERVER_BIN ?? join(root, 'target/release/riskroom-server');
export const dist = process.env.RISKROOM_DIST ?? join(root, 'dist');
/** The app the server serves: the one built into it (`cargo xtask dist`),
 * unless RISKROOM_DIST names a folder to serve instead. */
const appArgs = process.env.RISKROOM_DIST ? ['--static-dir', dist] : [];
/** The protocol version the core speaks, for tests that talk to the server directly. */
export const protocolVersion = Number(
  /PROTOCOL_VERSION: u32 = (\d+);/.exec(readFileSync(join(root, 'crates/core/src/protocol.rs'), 'utf8'))[1],
);

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.toml': 'text/plain; charset=utf-8',
};

/** Serves `dir` as static hosting does: files, else index.html for GETs. */
export async function staticServer(dir) {
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let file = join(dir, path);
    if (!file.startsWith(dir) || !(await stat(file).then((s) => s.isFile(), () => false))) {
      file = join(dir, 'index.html');
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(await readFile(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Starts a server (with `args` added to its flags); resolves to
 * { url, db, lines, stop(), kill() }, `lines` what it printed at start. */
export async function startServer({ db, addr = '127.0.0.1:0', args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'riskroom-e2e-'));
  db ??= join(dir, 'rooms.sqlite3');
  // Started in an empty folder: the one file needs nothing beside it.
  const child = spawn(serverBin, ['--addr', addr, '--db', db, ...appArgs, ...args], {
    cwd: dir,
    env: { ...process.env, RUST_LOG: 'riskroom_server=warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const printed = [];
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    lines.on('line', (line) => {
      printed.push(line);
      const m = line.match(/^Riskroom is running at (http:\/\/\S+)$/);
      if (m) resolve(m[1].replace('//0.0.0.0:', '//127.0.0.1:'));
    });
  });
  return {
    url,
    db,
    printed,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Chromium's flags for every test. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * A browser with a profile of its own, as a person's everyday browser is:
 * unlike the test contexts (off the record, where Chromium blocks
 * third-party storage and cookies), it lets a frame of another site keep
 * its storage. Resolves to { context, page, close() }.
 */
export async function everydayBrowser({ width = 1280, height = 720 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'riskroom-profile-'));
  // Third-party cookies and storage allowed, as an everyday profile's
  // settings may have them (Chromium's own default now blocks them).
  mkdirSync(join(dir, 'Default'), { recursive: true });
  writeFileSync(
    join(dir, 'Default', 'Preferences'),
    JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }),
  );
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width, height },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** A new browser context (its own storage: a separate device) with one page. */
export async function device(browser, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/WebSocket/.test(m.text())) errors.push(m.text());
  });
  return { context, page, errors };
}

export function shot(page, name) {
  return page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** A whole-page screenshot taken from the top of the page, so a learner's
 * tabs (which stay in view as the page scrolls) sit above the open tab
 * rather than over it. */
export async function shotFromTop(page, name) {
  await page.evaluate(() => scrollTo(0, 0));
  return shot(page, name);
}

/** A screenshot of one part of a page (a chart, a form). */
export function shotOf(locator, name) {
  return locator.screenshot({ path: join(artifacts, `${name}.png`) });
}

/** Restarts a killed server on the same address and database. */
export async function restartServer(old) {
  const addr = old.url.replace(/^http:\/\//, '').replace(/\/$/, '');
  const child = spawn(serverBin, ['--addr', addr, '--db', old.db, ...appArgs], {
    cwd: dirname(old.db),
    env: { ...process.env, RUST_LOG: 'riskroom_server=warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('Riskroom is running at ')) resolve();
    });
  });
  return {
    ...old,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
    async kill() {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/**
 * Registers a server and a browser for the test file (started before its
 * tests, stopped after). Read them as `env.server` and `env.browser`.
 */
export function serverAndBrowser({ before, after }) {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/**
 * Registers a plain static file server of the built app (no Riskroom
 * server: rooms run in the browser) and a browser for the test file. Read
 * them as `env.site` and `env.browser`.
 */
export function siteAndBrowser({ before, after }) {
  const env = {};
  before(async () => {
    env.site = await staticServer(normalize(dist));
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    env.site?.close();
  });
  return env;
}

/**
 * The facilitator creates a room titled `title` on the start page at `url`
 * and chooses the built-in scenario whose offer mentions `scenario`;
 * returns the room code.
 */
export async function createRoom(page, url, { title, scenario }) {
  await page.goto(url);
  await page.getByLabel('Session title').fill(title);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(/\/host\//);
  const code = (await page.getByTestId('room-code').textContent()).trim();
  await page.locator('.offers li', { hasText: scenario }).getByRole('button').click();
  await page.getByTestId('current-scenario').filter({ hasText: 'Chosen:' }).waitFor();
  return code;
}

/** A learner opens the join link `url` and joins as `name`. */
export async function joinAs(page, url, name) {
  await page.goto(url);
  await page.getByLabel('Your name, as the group will see it').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByTestId('my-name').filter({ hasText: name }).waitFor();
}

/** A learner opens the tab `id` of their page (testid `tab-<id>`) and
 * waits until it is the open one. */
export async function tab(page, id) {
  await page.getByTestId(`tab-${id}`).click();
  await page.getByTestId(`tab-${id}`).and(page.locator('[aria-selected="true"]')).waitFor();
}

/** Opens each tab of a learner's page in turn and runs `check(id)` on it,
 * then opens again the tab that was open: what was one long page is now
 * these tabs, so a check of "the page" is a check of every tab. (Opening
 * the News tab marks the news as read.) */
export async function onEveryTab(page, check) {
  const ids = await page.getByRole('tab').evaluateAll((els) => els.map((el) => el.dataset.testid.replace(/^tab-/, '')));
  assert.ok(ids.length > 0, 'a learner page has tabs');
  const open = (await page.getByRole('tab', { selected: true }).getAttribute('data-testid')).replace(/^tab-/, '');
  for (const id of ids) {
    await tab(page, id);
    await check(id);
  }
  await tab(page, open);
}

const axe = readFileSync(join(here, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/** What axe-core finds wrong with the page, one line per rule broken. */
export async function violations(page) {
  await page.evaluate(axe);
  // WCAG 2.2 A and AA (target size included) and axe's best practices.
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      rules: { 'target-size': { enabled: true } },
    }),
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
}

/**
 * When the page scrolls sideways (wider than its viewport), the elements
 * furthest past the right edge; empty when the page fits its width.
 */
export async function sideways(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll('body *')]
      .map((el) => [el, Math.round(el.getBoundingClientRect().right)])
      .filter(([, right]) => right > width)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([el, right]) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} reaches ${right}px of ${width}px`);
  });
}

/** The text of the QR code a locator shows, read from a screenshot as a
 * phone's camera would (null when none can be read). */
export async function readQr(locator) {
  const png = PNG.sync.read(await locator.screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  return found?.data ?? null;
}

/**
 * What a person at the back of the room would notice: the page does not
 * scroll, no text is below the fold or cut off at the bottom of its panel,
 * and text is large enough.
 */
export async function fits(page, what) {
  const report = await page.evaluate(() => {
    const doc = document.documentElement;
    const clipped = [];
    const small = [];
    const scale = innerHeight / 1080;
    for (const el of document.querySelectorAll('.rv-screen *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      const text = el.textContent.trim().slice(0, 50);
      if (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) clipped.push(`${text} (below or beside the screen)`);
      for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
        const s = getComputedStyle(box);
        if (s.overflowY === 'hidden' || s.overflow === 'hidden') {
          const b = box.getBoundingClientRect();
          if (r.bottom > b.bottom + 1) clipped.push(`${text} (cut off in ${box.className})`);
          break;
        }
      }
      const size = parseFloat(style.fontSize);
      const heading = /^H[1-3]$/.test(el.tagName);
      if (size < (heading ? 60 : 32) * scale - 0.5) small.push(`${text}: ${size}px`);
    }
    return { scrolls: doc.scrollHeight > innerHeight + 1 || doc.scrollWidth > innerWidth + 1, clipped, small };
  });
  assert.equal(report.scrolls, false, `${what}: the room view scrolls`);
  assert.deepEqual(report.clipped, [], `${what}: text out of sight`);
  assert.deepEqual(report.small, [], `${what}: text too small for the back of the room`);
}

/** Gives the page (of the server's origin) `window.people`: `open(code,
 * credential)` says hello over a WebSocket of its own and resolves with a
 * person once welcomed (its `room`, the `events` it was sent, its `id` once
 * joined); `send(person, command)` resolves with the acknowledgement or
 * rejects with the refusal. For crowds that play learners through the real
 * protocol beside the browsers under test. */
export async function peopleOnSockets(page) {
  await page.evaluate((protocol) => {
    const open = (code, credential) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
        const person = { ws, next: 1, waiting: new Map(), events: [], id: null };
        ws.onmessage = (m) => {
          const msg = JSON.parse(m.data);
          if (msg.type === 'rejected' && msg.id == null) reject(new Error(msg.reason));
          if (msg.type === 'welcome') person.room = msg.room;
          if (msg.type === 'welcome' || msg.type === 'resumed') resolve(person);
          if (msg.type === 'events') person.events.push(...msg.events.map((e) => e.event));
          if (msg.type === 'joined') person.id = msg.id;
          if ((msg.type === 'ack' || msg.type === 'rejected') && person.waiting.has(msg.id)) {
            person.waiting.get(msg.id)(msg);
            person.waiting.delete(msg.id);
          }
          if (msg.type === 'closed') reject(new Error(msg.reason));
        };
        ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', protocol, room: code, credential }));
        ws.onerror = () => reject(new Error('socket failed'));
      });
    const send = (person, command) =>
      new Promise((resolve, reject) => {
        const id = person.next++;
        person.waiting.set(id, (msg) => (msg.type === 'ack' ? resolve(msg) : reject(new Error(`${command.type}: ${msg.reason}`))));
        person.ws.send(JSON.stringify({ type: 'command', id, command }));
      });
    const token = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
    window.people = { open, send, token };
  }, protocolVersion);
}
