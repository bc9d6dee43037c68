// Cold first render of the start page and the join page, as a learner's
// phone meets them: Chromium emulating a mid-range phone on mobile data
// (CPU slowed 4×, 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip) and
// unthrottled, a fresh browser context each load (nothing cached). For
// each load: when the first text is painted (index.html's "Loading…", and
// at a join link the page's own join form, which takes a name before the
// app is ready) and when the app's control is there (the start page's
// **Create room**, the join page's name field as the app draws it). Two
// servers in one run: the app as built into the release server
// (compressed, the lobby app for the join link, the start app for the
// start page), and the same files served from a folder without their
// compressed encodings and without those two pages (as before any of it
// existed: the whole app for every page).
// Run by `cargo xtask bench`; by hand after `cargo xtask dist`:
//   node tests/e2e/first-render.bench.mjs [loads]
// A benchmark, not a test: it prints figures and asserts nothing.

import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, dist } from './harness.mjs';

const loads = Number(process.argv[2] ?? 5);

const profiles = {
  phone: { cpu: 4, network: { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 } },
  desktop: { cpu: 1, network: null },
};

/** dist/ without the .br and .gz files and without join.html and
 * start.html (every page the whole app). */
function uncompressedCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'riskroom-plain-'));
  cpSync(dist, dir, { recursive: true });
  const strip = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) strip(path);
      else if (/\.(br|gz)$/.test(entry.name) || ['join.html', 'start.html'].includes(entry.name)) rmSync(path);
    }
  };
  strip(dir);
  return dir;
}

/** One cold load of `url` under `profile`; resolves to { paint, ready, bytes } in ms / bytes. */
async function load(browser, url, profile, selector) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (profile.network) await cdp.send('Network.emulateNetworkConditions', profile.network);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  // When the control first appears, in the page's own clock.
  await page.addInitScript((selector) => {
    const seen = () => {
      // The app's control, not the page's own form shown before it.
      const drawn = [...document.querySelectorAll(selector)].some((e) => !e.closest('#boot'));
      if (!window.__ready && drawn) window.__ready = performance.now();
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  }, selector);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__ready, null, { timeout: 60_000, polling: 100 });
  const { paint, ready } = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    ready: window.__ready,
  }));
  // Everything the page asked for has arrived by now.
  await page.waitForLoadState('networkidle');
  await context.close();
  return { paint: Math.round(paint), ready: Math.round(ready), bytes };
}

const summary = (xs) => {
  const sorted = xs.toSorted((a, b) => a - b);
  return `${sorted[Math.floor(sorted.length / 2)]},${sorted[0]},${sorted.at(-1)}`;
};

const plain = uncompressedCopy();
const builds = [
  { name: 'before', server: await startServer({ args: ['--static-dir', plain] }) },
  { name: 'after', server: await startServer() },
];
const browser = await launchBrowser();
try {
  for (const { name, server } of builds) {
    const created = await fetch(`${server.url}api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'First render' }),
    }).then((r) => r.json());
    const pages = {
      start: [server.url, 'button'],
      join: [`${server.url}join/${created.code}`, '#display-name'],
    };
    for (const [profileName, profile] of Object.entries(profiles)) {
      for (const [pageName, [url, selector]] of Object.entries(pages)) {
        const runs = [];
        for (let i = 0; i < loads; i++) runs.push(await load(browser, url, profile, selector));
        console.log(
          `FIRST-RENDER build=${name} profile=${profileName} page=${pageName} ` +
            `paint_ms=${summary(runs.map((r) => r.paint))} ready_ms=${summary(runs.map((r) => r.ready))} ` +
            `kb=${Math.round(runs[0].bytes / 1024)}`,
        );
      }
    }
  }
} finally {
  await browser.close();
  for (const { server } of builds) await server.stop();
  rmSync(plain, { recursive: true, force: true });
}
