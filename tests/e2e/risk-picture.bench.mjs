// The facilitator's risk picture while it simulates (200,000 years: no
// responses, then the playbook, in slices): the longest main-thread task,
// by the browser's Long Tasks API, which reports tasks of 50 ms or more
// (0 means none was that long); the longest stretch in which the page could
// run nothing else, shorter tasks included (a heartbeat's largest gap); and
// the time from the click to the figures (with the heartbeat running).
// For each built-in scenario, five runs on the release server and build,
// a fresh room each time. `cargo xtask bench` runs it and writes the figures
// into BENCHMARKS.md; by hand, after `cargo xtask dist` and a release build
// of the server:
//   node tests/e2e/risk-picture.bench.mjs
// A benchmark, not a test: it prints figures and asserts nothing.

import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, device } from './harness.mjs';

const RUNS = 5;
const here = dirname(fileURLToPath(import.meta.url));
const folder = join(here, '../../scenarios');
const scenarios = readdirSync(folder)
  .filter((f) => f.endsWith('.toml'))
  .sort()
  .map((f) => ({
    id: basename(f, '.toml'),
    // The scenario's own title is the file's first `title = "…"`.
    title: JSON.parse(readFileSync(join(folder, f), 'utf8').match(/^title = (".*")$/m)[1]),
  }));

/** One run: a new room on `title`, the simulation watched from the click to the figures. */
async function run(browser, url, title) {
  const host = await device(browser, { width: 1280, height: 1000 });
  try {
    const { page } = host;
    await page.goto(url);
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(/\/host\//);
    await page.getByRole('button', { name: `Use this scenario: ${title}` }).click();
    await page.getByTestId('current-scenario').filter({ hasText: `Chosen: ${title}` }).waitFor();
    const button = page.getByRole('button', { name: 'Simulate 100,000 years' });
    await button.waitFor();
    await page.evaluate(() => {
      const bench = { longest: 0, tasks: 0, busiest: 0, clicked: null, figures: null, done: false };
      window.__bench = bench;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          bench.longest = Math.max(bench.longest, e.duration);
          bench.tasks += 1;
        }
      }).observe({ type: 'longtask' });
      document.addEventListener('click', (e) => (bench.clicked ??= e.timeStamp), { capture: true });
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="simulation-summary"]')) bench.figures ??= performance.now();
      }).observe(document.body, { subtree: true, childList: true });
      // A heartbeat of back-to-back messages: its largest gap is the longest
      // stretch in which the page could run nothing else (tasks under the
      // Long Tasks API's 50 ms included), until the figures are on screen.
      const beat = new MessageChannel();
      let last = performance.now();
      beat.port1.onmessage = () => {
        const now = performance.now();
        if (bench.clicked !== null) bench.busiest = Math.max(bench.busiest, now - last);
        last = now;
        if (bench.figures === null) beat.port2.postMessage(0);
        else bench.done = true;
      };
      beat.port2.postMessage(0);
    });
    await button.click();
    await page.getByTestId('simulation-summary').waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => window.__bench.done);
    // Long-task entries are delivered after the task; let them arrive.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
    const b = await page.evaluate(() => window.__bench);
    if (host.errors.length) throw new Error(`the page reported errors: ${host.errors.join('; ')}`);
    return { longest: b.longest, tasks: b.tasks, busiest: b.busiest, toFigures: b.figures - b.clicked };
  } finally {
    await host.context.close();
  }
}

const median = (xs) => {
  const s = xs.toSorted((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const ms = (x) => Math.round(x);

const server = await startServer();
const browser = await launchBrowser();
try {
  for (const { id, title } of scenarios) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await run(browser, server.url, title));
    const longest = runs.map((r) => r.longest);
    const busiest = runs.map((r) => r.busiest);
    console.log(
      `RISK-PICTURE ${id} runs=${RUNS}` +
        ` longest_task_ms=${ms(median(longest))}` +
        ` longest_task_max_ms=${ms(Math.max(...longest))}` +
        ` busiest_ms=${ms(median(busiest))}` +
        ` busiest_max_ms=${ms(Math.max(...busiest))}` +
        ` to_figures_ms=${ms(median(runs.map((r) => r.toFigures)))}` +
        ` each_busiest_ms=${busiest.map(ms).join(',')}`,
    );
  }
} finally {
  await browser.close();
  await server.stop();
}
