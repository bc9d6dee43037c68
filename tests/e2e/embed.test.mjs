// Riskroom inside an intranet page of another site: the host page (on
// localhost) frames the app (on 127.0.0.1, a different site) and sizes the
// frame from the height the app posts. In the tests' usual browser
// contexts (off the record), Chromium blocks third-party storage, as many
// browsers and company policies do: nothing panics, the room is created
// and run, a learner joins, and each page says what a reload would lose;
// "Copy link" says when the frame may not copy. In an everyday profile,
// where the frame keeps its storage, nothing is said, copying works, and
// reloading the host page brings the facilitator back to the console.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer, launchBrowser, everydayBrowser, shot } from './harness.mjs';

const env = {};

/** The intranet's page: a frame of `src`, sized by the app's messages. */
function hostPage(src, allow) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title></head>
<body><h1>Our intranet: risk training</h1>
<iframe id="riskroom" title="Riskroom" src="${src}" allow="${allow}" style="width:100%;height:300px;border:0"></iframe>
<script>
addEventListener('message', (e) => {
  if (e.origin === new URL(document.getElementById('riskroom').src).origin && e.data && e.data.type === 'riskroom:height') {
    document.getElementById('riskroom').style.height = e.data.height + 'px';
    window.riskroomHeight = e.data.height;
  }
});
</script></body></html>`;
}

before(async () => {
  env.host = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage(url.searchParams.get('src'), url.searchParams.get('allow') ?? ''));
  });
  await new Promise((r) => env.host.listen(0, '127.0.0.1', r));
  env.hostUrl = `http://localhost:${env.host.address().port}/`;
  env.server = await startServer({ args: ['--frame-ancestors', `http://localhost:${env.host.address().port}`] });
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  env.host?.closeAllConnections();
  env.host?.close();
});

/** Watches a page for panics and errors, in the page and its frames. */
function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && /panicked|unreachable|RuntimeError/.test(m.text())) problems.push(m.text());
  });
  return problems;
}

function hostAddress(src, allow = '') {
  return `${env.hostUrl}?src=${encodeURIComponent(src)}&allow=${encodeURIComponent(allow)}`;
}

/** A device (an off-the-record context) opening the intranet page that
 * frames `src`. */
async function intranet(src, { allow = '', width = 1280, height = 720 } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(hostAddress(src, allow));
  return { context, page, frame: page.frameLocator('#riskroom'), problems };
}

test('framed by another site with its storage blocked: no panic, the room runs, the pages say what a reload loses', async () => {
  const host = await intranet(env.server.url);
  const f = host.frame;
  await f.getByLabel('Session title').fill('Intranet session');
  await f.getByRole('button', { name: 'Create room' }).click();
  const code = (await f.getByTestId('room-code').textContent()).trim();
  await f.getByTestId('storage-notice').filter({ hasText: 'a reload would lose this console' }).waitFor();
  await f.locator('.offers li', { hasText: 'Supplier' }).getByRole('button').click();
  await f.getByTestId('current-scenario').filter({ hasText: 'Chosen:' }).waitFor();
  // The frame may not write to the clipboard (no allow="clipboard-write"): it says so.
  await f.getByTestId('copy-link').click();
  await f.getByTestId('copy-failed').waitFor();
  assert.equal((await f.getByTestId('copy-link').textContent()).trim(), 'Copy link');
  // The host page sizes the frame from the app's height: no inner scrollbar.
  await host.page.waitForFunction(() => (window.riskroomHeight ?? 0) > 1000);
  const frameHeight = await host.page.locator('#riskroom').evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(frameHeight > 1000, `the frame grew to the content: ${frameHeight}`);
  await shot(host.page, 'embed-blocked-console-720');

  // A learner joins from the intranet on a phone, storage blocked too.
  const phone = await intranet(`${env.server.url}join/${code}`, { width: 390, height: 844 });
  await phone.frame.getByLabel('Your name, as the group will see it').fill('Ada');
  await phone.frame.getByRole('button', { name: 'Join' }).click();
  await phone.frame.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();
  await phone.frame.getByTestId('storage-notice').filter({ hasText: 'a reload would lose your seat' }).waitFor();
  await f.getByText('Ada').first().waitFor();
  await f.getByRole('button', { name: 'Start Briefing' }).click();
  await phone.frame.getByTestId('phase').filter({ hasText: /^Briefing$/ }).waitFor();
  await shot(phone.page, 'embed-blocked-phone-390');
  // Past the briefing the lobby app hands over to the learner's app: the
  // seat, kept only in the page's memory, goes with it.
  await f.getByRole('button', { name: 'Start Identify' }).click();
  await phone.frame.getByLabel('A risk you see').fill('Ada: the supplier is late');
  await phone.frame.getByRole('button', { name: 'Put it on the board' }).click();
  await phone.frame.getByTestId('my-card').filter({ hasText: 'Ada: the supplier is late' }).waitFor();
  await phone.frame.getByTestId('storage-notice').filter({ hasText: 'a reload would lose your seat' }).waitFor();
  assert.equal(await f.locator('.participants li', { hasText: 'Ada' }).count(), 1, 'the same seat, not a second Ada');
  for (const d of [host, phone]) {
    assert.deepEqual(d.problems, [], 'no panic and no error in the frame');
    await d.context.close();
  }
});

test('framed with storage allowed: nothing to warn about, copying works, and a reload of the host page leads back to the console', async () => {
  const host = await everydayBrowser();
  const problems = watch(host.page);
  await host.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.server.url).origin });
  await host.page.goto(hostAddress(env.server.url, 'clipboard-write'));
  const f = host.page.frameLocator('#riskroom');
  await f.getByLabel('Session title').fill('Allowed session');
  await f.getByRole('button', { name: 'Create room' }).click();
  const code = (await f.getByTestId('room-code').textContent()).trim();
  assert.equal(await f.getByTestId('storage-notice').count(), 0);
  await f.getByTestId('copy-link').click();
  await f.getByTestId('copy-link').filter({ hasText: 'Copied' }).waitFor();
  // The intranet page is reloaded: the frame starts again at the start page,
  // which offers the way back to the console this browser runs.
  await host.page.reload();
  await f.getByTestId('rooms-run').getByRole('link', { name: `Back to the console of room ${code}` }).click();
  await f.getByTestId('room-code').filter({ hasText: code }).waitFor();
  // The console itself (it holds the key), not the join page.
  await f.getByTestId('room-view-link').waitFor();
  assert.deepEqual(problems, []);
  await host.close();
});
