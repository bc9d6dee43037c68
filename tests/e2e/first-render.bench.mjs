// First render of the start page on localhost: the release server and the
// built app, a fresh browser context each time (nothing cached), from the
// start of navigation until the "Create room" button is on screen.
// Run after `cargo xtask dist` and a release build of the server:
//   node tests/e2e/first-render.bench.mjs
// A benchmark, not a test: it prints figures and asserts nothing.

import { startServer, launchBrowser } from './harness.mjs';

const server = await startServer();
const browser = await launchBrowser();
const times = [];
try {
  for (let i = 0; i < 6; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url, { waitUntil: 'commit' });
    await page.getByRole('button', { name: 'Create room' }).waitFor();
    times.push(Math.round(await page.evaluate(() => performance.now())));
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
console.log(`FIRST-RENDER ms=${times.join(',')} median=${times.toSorted((a, b) => a - b)[3]}`);
