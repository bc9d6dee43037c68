import { startServer, launchBrowser } from './harness.mjs';
const server = await startServer();
const browser = await launchBrowser();
const times = [];
for (let i = 0; i < 6; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Create room' }).waitFor();
  const t = await page.evaluate(() => performance.now());
  times.push(Math.round(t));
  await context.close();
}
console.log('first render ms (cold context each):', times.join(' '));
await browser.close();
await server.stop();
