// Riskroom without a server: the built app on a plain static file server (no
// /api, no /ws). A facilitator runs the room on their own computer — the
// console, the room view and learner tabs in one browser kept in step — and
// a reload loses nothing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, device, shot, violations, startServer, tab } from './harness.mjs';

const env = siteAndBrowser({ before, after });

/** Another window of the same browser (shared localStorage, own sessionStorage). */
async function window(context, errors, { width = 1280, height = 800 } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

async function phaseIs(pages, name) {
  for (const page of pages) {
    await page.getByTestId('phase').filter({ hasText: new RegExp(`^${name}$`) }).waitFor();
  }
}

test('a room runs in one browser with no server and survives a reload', async () => {
  const host = await device(env.browser, { width: 1280, height: 1000 });
  const errors = [];
  host.page.on('pageerror', (e) => errors.push(e.message));
  await host.page.goto(env.site.url);
  await host.page.getByLabel('Session title').fill('Kitchen table drill');

  // With no server, creating a room there says so and points at the other way.
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page
    .getByRole('alert')
    .filter({ hasText: 'The Riskroom server cannot be reached' })
    .filter({ hasText: 'Run on this device only' })
    .waitFor();
  await shot(host.page, 'local-no-server');

  await host.page.getByRole('button', { name: 'Run on this device only (no server)' }).click();
  await host.page.waitForURL(/\/host\/[2-9A-Z]{6}$/);
  const code = (await host.page.getByTestId('room-code').textContent()).trim();
  await host.page.getByText('Live', { exact: true }).waitFor();
  await host.page.getByText('Kitchen table drill').first().waitFor();

  // Built-in scenarios come from the files shipped beside the app.
  const offers = host.page.locator('.offers li');
  await offers.first().waitFor();
  assert.equal(await offers.count(), 3, 'the three built-in scenarios are offered');
  const builtIn = host.page.locator('.offers li', { hasText: 'Supplier' });
  const title = (await builtIn.locator('h3').textContent()).trim();
  await builtIn.getByRole('button').click();
  await host.page.getByTestId('current-scenario').filter({ hasText: `Chosen: ${title}` }).waitFor();

  // A file from this computer is checked by the core's parser in the page.
  await host.page.getByLabel('Or load a scenario file (.toml) from this computer').setInputFiles({
    name: 'broken.toml',
    mimeType: 'text/plain',
    buffer: Buffer.from('id = "x"\ntitle = [\n'),
  });
  await host.page.getByTestId('scenario-check').filter({ hasText: 'broken.toml has 1 problem' }).waitFor();

  // The room view, another window of the same browser.
  const roomViewUrl = await host.page.getByTestId('room-view-link').getAttribute('href');
  assert.ok(roomViewUrl.startsWith(`${env.site.url}room-view/${code}#view=`), roomViewUrl);
  const roomView = await window(host.context, errors, { width: 1920, height: 1080 });
  await roomView.goto(roomViewUrl);
  await roomView.getByTestId('room-view-code').filter({ hasText: code }).waitFor();
  // Phones cannot reach a room kept in this browser: no QR code for them.
  await roomView.getByRole('heading', { name: 'Join in another tab of this browser' }).waitFor();
  assert.equal(await roomView.locator('.room-view-join svg').count(), 0);

  // A learner tab through the join link: a participant of its own.
  const joinUrl = await host.page.getByTestId('join-link').textContent();
  assert.equal(joinUrl, `${env.site.url}join/${code}`);
  const ada = await window(host.context, errors, { width: 390, height: 844 });
  await ada.goto(joinUrl);
  await ada.getByText('Kitchen table drill').waitFor();
  await ada.getByLabel('Your name, as the group will see it').fill('Ada');
  await ada.getByRole('button', { name: 'Join' }).click();
  await ada.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();
  await roomView.getByTestId('room-view-people').filter({ hasText: '1 person has joined' }).waitFor();
  await host.page.locator('.participants li', { hasText: 'Ada' }).getByText('online').waitFor();

  // A second learner tab is a second person; a taken name is refused in words.
  const eve = await window(host.context, errors, { width: 390, height: 844 });
  await eve.goto(joinUrl);
  await eve.getByLabel('Your name, as the group will see it').fill('ada');
  await eve.getByRole('button', { name: 'Join' }).click();
  await eve.getByRole('alert').filter({ hasText: 'Someone in this room is already called “ada”' }).waitFor();
  await shot(eve, 'local-learner-name-taken');

  // The console moves on; the room view and the learner tab follow.
  await host.page.getByRole('button', { name: 'Start Briefing' }).click();
  await phaseIs([host.page, roomView, ada], 'Briefing');
  await shot(host.page, 'local-console-briefing');
  await shot(roomView, 'local-room-view-briefing');

  // A reload of the console keeps the room, its scenario, phase and people.
  await host.page.reload();
  await host.page.getByTestId('room-code').filter({ hasText: code }).waitFor({ state: 'attached' });
  await phaseIs([host.page], 'Briefing');
  await host.page.locator('.participants li', { hasText: 'Ada' }).waitFor({ state: 'attached' });
  await host.page.getByText(title).first().waitFor({ state: 'attached' });

  // The learner tab keeps its seat across a reload too.
  await ada.reload();
  await phaseIs([ada], 'Briefing');
  await tab(ada, 'team');
  await ada.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();

  assert.deepEqual(await violations(host.page), [], 'console without a server');
  assert.deepEqual(errors, [], 'no script errors on any window');
  await host.context.close();
});

test('a page from the server can run a room on this device too, under its content policy', async () => {
  const server = await startServer();
  const host = await device(env.browser);
  const errors = [];
  host.page.on('pageerror', (e) => errors.push(e.message));
  const refused = [];
  host.page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  try {
    await host.page.goto(server.url);
    await host.page.getByLabel('Session title').fill('Laptop only');
    await host.page.getByRole('button', { name: 'Run on this device only (no server)' }).click();
    await host.page.waitForURL(/\/host\/[2-9A-Z]{6}$/);
    // The scenario reader's worker starts under the server's policy.
    const builtIn = host.page.locator('.offers li', { hasText: 'Ransomware' });
    const title = (await builtIn.locator('h3').textContent()).trim();
    await builtIn.getByRole('button').click();
    await host.page.getByTestId('current-scenario').filter({ hasText: `Chosen: ${title}` }).waitFor();
    assert.deepEqual(refused, [], 'nothing refused by the content policy');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await host.context.close();
    await server.stop();
  }
});
