// A phone that opens a join link downloads the lobby app (join.html), not
// the whole app: a learner joins on it and waits in the lobby; as the
// briefing starts it hands over to the learner's app, on the same page, the
// same seat; the start page from that same tab is the start
// app, which hands a new room's console over to the console app (not the
// whole app either); and a page of a room this browser runs itself (no
// server) hands over to the whole app, which can run it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, shot, violations, createRoom, joinAs } from './harness.mjs';

const env = serverAndBrowser({ before, after });

const WHOLE_WASM = /\/riskroom-[0-9a-f]+_bg\.wasm$/;
const START_WASM = /\/riskroom-start-[0-9a-f]+_bg\.wasm$/;
const CONSOLE_WASM = /\/riskroom-console-[0-9a-f]+_bg\.wasm$/;
const LOBBY_WASM = /\/riskroom-lobby-[0-9a-f]+_bg\.wasm$/;
const LEARNER_WASM = /\/riskroom-learner_bg\.wasm$/;

/** Every URL the page fetched, and the bytes as sent. */
function recordFetches(page) {
  const fetched = [];
  page.on('response', async (response) => {
    const length = Number(response.headers()['content-length'] ?? 0);
    fetched.push({ url: response.url().split('?')[0], length });
  });
  return fetched;
}

/** The page's WebSockets still open, as a function to ask again. */
function openSockets(page) {
  const sockets = [];
  page.on('websocket', (ws) => {
    const socket = { open: true };
    ws.on('close', () => (socket.open = false));
    sockets.push(socket);
  });
  return () => sockets.filter((s) => s.open).length;
}

/** Waits until the page has exactly one WebSocket open: the app that took
 * over closed the one before it. */
async function oneSocketLeft(page, open) {
  for (let i = 0; i < 50 && open() !== 1; i++) await page.waitForTimeout(100);
  assert.equal(open(), 1, 'one connection to the room, the app before it gone');
}

/** A facilitator at 1280×720 opens a room; its console and its code. */
async function openRoom() {
  const host = await device(env.browser, { width: 1280, height: 720 });
  await host.page.goto(env.server.url);
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.waitForURL(/\/host\//);
  const code = (await host.page.getByTestId('room-code').textContent()).trim();
  return { host, code };
}

/** Closes each device, once it has shown no error. */
/** The page's style sheets, by name, in the order they apply. */
function styleSheets(page) {
  return page.evaluate(() =>
    [...document.styleSheets].map((s) => /\/([a-z]+)-[0-9a-f]+\.css$/.exec(s.href ?? '')?.[1]).filter(Boolean),
  );
}
/** Every style sheet of the whole app, in its order. */
const ALL_STYLES = ['main', 'exercise', 'debrief'];

async function closeAll(...devices) {
  for (const d of devices) {
    assert.deepEqual(d.errors, []);
    await d.context.close();
  }
}

test('a join link loads the lobby app only, and the start page the start app', async () => {
  const { host, code } = await openRoom();

  const phone = await device(env.browser, { width: 360, height: 740 });
  const fetched = recordFetches(phone.page);
  await phone.page.goto(`${env.server.url}join/${code}`);
  await phone.page.getByLabel('Your name, as the group will see it').waitFor();
  assert.deepEqual(await styleSheets(phone.page), ['main'], 'the exercise’s and the debrief’s styles are not on the first screen');
  await phone.page.getByLabel('Your name, as the group will see it').fill('Ada');
  await phone.page.getByRole('button', { name: 'Join' }).click();
  await phone.page.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();
  await host.page.locator('.participants li', { hasText: 'Ada' }).waitFor();
  const urls = fetched.map((f) => f.url);
  assert.ok(urls.some((u) => LOBBY_WASM.test(u)), `the lobby app: ${urls.join(' ')}`);
  assert.ok(!urls.some((u) => WHOLE_WASM.test(u)), `not the whole app: ${urls.join(' ')}`);
  assert.ok(!urls.some((u) => /riskroom-reader/.test(u)), 'no scenario reader');
  const wasm = fetched.find((f) => LOBBY_WASM.test(f.url));
  // The whole app, as the start page names it.
  const start = await (await fetch(env.server.url)).text();
  const wholeName = /riskroom-[0-9a-f]+_bg\.wasm/.exec(start)[0];
  const wholeLength = Number(
    (await fetch(`${env.server.url}${wholeName}`, { headers: { 'accept-encoding': 'br' } })).headers.get('content-length'),
  );
  assert.ok(wasm.length > 0 && wasm.length < wholeLength, `lobby ${wasm.length} B < whole ${wholeLength} B`);
  await shot(phone.page, 'learner-app-joined-360');

  // The same tab at the start page: the start app, not the whole app.
  await phone.page.goto(env.server.url);
  await phone.page.getByRole('button', { name: 'Create room' }).waitFor();
  assert.ok(fetched.some((f) => START_WASM.test(f.url)), 'the start app for the start page');
  assert.ok(!fetched.some((f) => WHOLE_WASM.test(f.url)), 'not the whole app for the start page');
  await closeAll(host, phone);
});

test('as the briefing starts the lobby app hands over to the learner’s app: the same seat, on the same page', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  const code = await createRoom(host.page, env.server.url, { title: 'Handover', scenario: 'ransomware' });
  const phone = await device(env.browser, { width: 390, height: 844 });
  const fetched = recordFetches(phone.page);
  const open = openSockets(phone.page);
  const release = await holdApp(phone.page, LEARNER_WASM);
  await joinAs(phone.page, `${env.server.url}join/${code}`, 'Joan');
  await phone.page.getByTestId('my-name').filter({ hasText: 'Joan' }).waitFor();
  // The learner's app is on its way since Joan joined, and not yet needed.
  assert.ok(fetched.some((f) => LOBBY_WASM.test(f.url)), 'the lobby app');
  assert.ok(!fetched.some((f) => WHOLE_WASM.test(f.url)), 'not the whole app');

  // The briefing starts while the learner's app is still on its way.
  await host.page.getByRole('button', { name: 'Start Briefing' }).click();
  await phone.page.getByText('Opening the exercise…').waitFor();
  assert.equal(await phone.page.getByTestId('private-brief').count(), 0, 'the brief comes with the learner’s app');
  await shot(phone.page, 'learner-app-opening-390');
  release();
  await phone.page.getByTestId('private-brief').waitFor();
  await host.page.getByRole('button', { name: 'Start Identify' }).click();
  await phone.page.getByLabel('A risk you see').fill('Joan: backups untested');
  await phone.page.getByRole('button', { name: 'Put it on the board' }).click();
  await host.page.getByText('Joan: backups untested').first().waitFor();
  assert.ok(fetched.some((f) => LEARNER_WASM.test(f.url)), 'the learner’s app');
  assert.equal(await phone.page.locator('main').count(), 1, 'one app on the page');
  await oneSocketLeft(phone.page, open);
  assert.equal(await host.page.locator('.participants li', { hasText: 'Joan' }).count(), 1, 'the same seat');
  await shot(phone.page, 'learner-app-handed-over-390');
  assert.deepEqual(await styleSheets(phone.page), ALL_STYLES, 'the learner’s app has every style sheet');

  // A reload goes on in the learner's app, in the same seat.
  await phone.page.reload();
  await phone.page.getByTestId('my-card').filter({ hasText: 'Joan: backups untested' }).waitFor();
  assert.deepEqual(await styleSheets(phone.page), ALL_STYLES, 'every style sheet after a reload');
  assert.equal(await host.page.locator('.participants li', { hasText: 'Joan' }).count(), 1, 'the same seat after a reload');
  await closeAll(host, phone);
});

test('a learner’s app that did not load says so beside the room, and Try again loads it', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  const code = await createRoom(host.page, env.server.url, { title: 'Flaky', scenario: 'ransomware' });
  const phone = await device(env.browser, { width: 360, height: 740 });
  // The network drops every request for the learner's app.
  await phone.page.route(/\/riskroom-learner(_bg\.wasm|\.js)(\?.*)?$/, (route) => route.abort());
  await joinAs(phone.page, `${env.server.url}join/${code}`, 'Kim');
  await host.page.getByRole('button', { name: 'Start Briefing' }).click();
  await phone.page.getByRole('alert').filter({ hasText: 'The next part of the exercise did not load' }).waitFor();
  await shot(phone.page, 'learner-app-did-not-load-360');
  assert.equal(await phone.page.getByTestId('my-name').count(), 0, 'not yet in the exercise');
  // Back on the network: one press carries on, in the same seat.
  await phone.page.unrouteAll();
  await phone.page.getByRole('button', { name: 'Try again' }).click();
  await phone.page.getByTestId('private-brief').waitFor();
  assert.equal(await host.page.locator('.participants li', { hasText: 'Kim' }).count(), 1, 'the same seat');
  // The browser's own lines about the dropped requests, and nothing else.
  assert.ok(phone.errors.length > 0 && phone.errors.every((e) => e === 'Failed to load resource: net::ERR_FAILED'), phone.errors.join('\n'));
  phone.errors.length = 0;
  await closeAll(host, phone);
});

test('the start page is the start app: a new room’s console opens in the console app, and a room run in this browser in the whole app, on the same page', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  const fetched = recordFetches(host.page);
  const release = await holdApp(host.page, CONSOLE_WASM);
  await host.page.goto(env.server.url);
  await host.page.getByLabel('Session title').fill('Start app');
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.waitForURL(/\/host\/[2-9A-Z]{6}$/);
  // The console is on its way.
  await host.page.getByText('Opening the console…').waitFor();
  await shot(host.page, 'start-app-opening-console-1280');
  assert.ok(fetched.some((f) => START_WASM.test(f.url)), 'the start app');
  release();
  // The new room's console, its title as the room's answer gives it.
  await host.page.getByRole('heading', { name: 'Start app' }).waitFor();
  assert.equal(await host.page.locator('main').count(), 1, 'one app on the page');
  // The console works: the facilitator key went with it.
  await host.page.locator('.offers li', { hasText: 'ransomware' }).getByRole('button').click();
  await host.page.getByTestId('current-scenario').filter({ hasText: 'Chosen:' }).waitFor();
  // The exercise's and the debrief's styles, which the start page left off,
  // came with it.
  assert.deepEqual(await styleSheets(host.page), ALL_STYLES, 'every style sheet');
  // A reload is the console app again, from the server: the lobby and the
  // briefing work while the whole app, for the phases after them, is held
  // back.
  fetched.length = 0;
  const releaseWhole = await holdApp(host.page, WHOLE_WASM);
  await host.page.reload();
  await host.page.getByRole('heading', { name: 'Start app' }).waitFor();
  assert.ok(fetched.some((f) => CONSOLE_WASM.test(f.url)), 'the console app');
  await host.page.getByRole('button', { name: 'Start Briefing' }).click();
  await host.page.getByRole('button', { name: 'Start Identify' }).waitFor();
  assert.ok(!fetched.some((f) => WHOLE_WASM.test(f.url)), 'the whole app is held back');
  // Past the briefing the console hands over to the whole app.
  await host.page.getByRole('button', { name: 'Start Identify' }).click();
  await host.page.getByText('Opening the console…').waitFor();
  await shot(host.page, 'console-app-opening-whole-1280');
  releaseWhole();
  await host.page.getByTestId('team-view').waitFor();
  assert.ok(fetched.some((f) => WHOLE_WASM.test(f.url)), 'the whole app');
  assert.equal(await host.page.locator('main').count(), 1, 'one app on the page');
  assert.deepEqual(host.errors, []);

  // A room run in this browser: the whole app runs it.
  await host.page.goto(env.server.url);
  await host.page.getByLabel('Session title').fill('Here only');
  await host.page.getByRole('button', { name: 'Run on this device only (no server)' }).click();
  await host.page.waitForURL(/\/host\/[2-9A-Z]{6}$/);
  await host.page.getByRole('heading', { name: 'Here only' }).waitFor();
  await host.page.getByTestId('join-link').waitFor();
  assert.equal(await host.page.locator('main').count(), 1, 'one app on the page');
  // Its console loaded again: the console app sends it to the whole app.
  const console = host.page.url();
  fetched.length = 0;
  await host.page.reload();
  await host.page.getByRole('heading', { name: 'Here only' }).waitFor();
  await host.page.getByTestId('join-link').waitFor();
  assert.equal(host.page.url(), `${console}?app=whole`);
  assert.ok(fetched.some((f) => WHOLE_WASM.test(f.url)), 'the whole app runs it');
  await closeAll(host);
});

test('a join link of a room this browser runs itself opens in the whole app', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  await host.page.goto(env.server.url);
  await host.page.getByLabel('Session title').fill('Laptop only');
  await host.page.getByRole('button', { name: 'Run on this device only (no server)' }).click();
  await host.page.waitForURL(/\/host\/[2-9A-Z]{6}$/);
  const joinUrl = await host.page.getByTestId('join-link').textContent();

  // A learner tab of the same browser.
  const tab = await host.context.newPage();
  await tab.setViewportSize({ width: 390, height: 844 });
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  const fetched = recordFetches(tab);
  await tab.goto(joinUrl);
  await tab.getByLabel('Your name, as the group will see it').fill('Ada');
  await tab.getByRole('button', { name: 'Join' }).click();
  await tab.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();
  await host.page.locator('.participants li', { hasText: 'Ada' }).waitFor();
  assert.match(tab.url(), /\/join\/[2-9A-Z]{6}\?app=whole$/);
  assert.ok(fetched.some((f) => WHOLE_WASM.test(f.url)), 'the whole app runs it');
  assert.deepEqual(errors, []);
  assert.deepEqual(host.errors, []);
  await host.context.close();
});

/** Holds an app (the lobby app unless `wasm` says another) back until the
 * returned function is called: the page as a phone on slow mobile data
 * shows it while the app downloads. */
async function holdApp(page, wasm = LOBBY_WASM) {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(wasm, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test('a learner types their name and presses Join before the app has arrived', async () => {
  const { host, code } = await openRoom();

  const phone = await device(env.browser, { width: 360, height: 740 });
  let release = await holdApp(phone.page);
  await phone.page.goto(`${env.server.url}join/${code}`);
  // The page's own form, the app still on its way.
  await phone.page.getByRole('heading', { name: 'Join with your name' }).waitFor();
  assert.equal(await phone.page.locator('#boot').count(), 1, 'the app has not started');
  assert.equal(await phone.page.locator('#boot').getAttribute('aria-busy'), 'false', 'a form that works, not a busy page');
  assert.deepEqual(await violations(phone.page), []);
  await phone.page.getByText(`Loading room ${code}…`).waitFor();
  await phone.page.getByLabel('Your name, as the group will see it').fill('Grace');
  await phone.page.getByRole('button', { name: 'Join' }).click();
  await phone.page.getByRole('button', { name: 'Joining…' }).waitFor();
  assert.ok(await phone.page.getByRole('button', { name: 'Joining…' }).isDisabled());
  await shot(phone.page, 'learner-app-typed-ahead-360');
  assert.equal(await phone.page.locator('#boot').count(), 1, 'still the page alone');

  release();
  await phone.page.getByTestId('my-name').filter({ hasText: 'Grace' }).waitFor();
  await host.page.locator('.participants li', { hasText: 'Grace' }).waitFor();
  assert.equal(await host.page.locator('.participants li', { hasText: 'Grace' }).count(), 1, 'joined once');

  // Back with a seat: no form to fill, the app seats this phone.
  await phone.page.unrouteAll();
  release = await holdApp(phone.page);
  await phone.page.reload();
  await phone.page.getByText(`Loading room ${code}…`).waitFor();
  assert.ok(await phone.page.locator('#boot-join').isHidden(), 'no join form with a seat held');
  release();
  await phone.page.getByTestId('my-name').filter({ hasText: 'Grace' }).waitFor();
  assert.equal(await host.page.locator('.participants li', { hasText: 'Grace' }).count(), 1, 'the same seat');
  await closeAll(host, phone);
});

test('a name typed before the app arrived is still there, in focus', async () => {
  const { host, code } = await openRoom();

  const phone = await device(env.browser, { width: 390, height: 844 });
  const release = await holdApp(phone.page);
  await phone.page.goto(`${env.server.url}join/${code}`);
  await phone.page.getByLabel('Your name, as the group will see it').fill('Linus');
  release();
  // The app's own field has taken the page's place, with the name and the focus.
  await phone.page.locator('#boot').waitFor({ state: 'detached' });
  const field = phone.page.locator('#display-name');
  await field.waitFor();
  assert.equal(await field.inputValue(), 'Linus');
  assert.equal(await phone.page.evaluate(() => document.activeElement?.id), 'display-name');
  await phone.page.keyboard.type(' T');
  await phone.page.keyboard.press('Enter');
  await phone.page.getByTestId('my-name').filter({ hasText: 'Linus T' }).waitFor();
  await host.page.locator('.participants li', { hasText: 'Linus T' }).waitFor();
  await shot(phone.page, 'learner-app-typed-ahead-joined-390');
  await closeAll(host, phone);
});

test('on the start page a learner types the room code before the app has arrived and lands in the lobby app', async () => {
  const { host, code } = await openRoom();

  const phone = await device(env.browser, { width: 360, height: 740 });
  const fetched = recordFetches(phone.page);
  // The start app never arrives: the page's own form does the work.
  await phone.page.route(START_WASM, () => {});
  await phone.page.goto(env.server.url);
  await phone.page.getByRole('heading', { name: 'Join an exercise' }).waitFor();
  await shot(phone.page, 'start-page-before-the-app-360');
  assert.deepEqual(await violations(phone.page), []);
  // As read off the wall: in lower case, spaced out.
  await phone.page.getByLabel('Room code').fill(`${code.slice(0, 3).toLowerCase()} ${code.slice(3).toLowerCase()}`);
  await phone.page.getByRole('button', { name: 'Join' }).click();
  await phone.page.waitForURL(new RegExp(`/join/${code.toLowerCase()}$`));
  await phone.page.getByLabel('Your name, as the group will see it').fill('Ada');
  await phone.page.getByRole('button', { name: 'Join' }).click();
  await phone.page.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();
  await host.page.locator('.participants li', { hasText: 'Ada' }).waitFor();
  assert.ok(fetched.some((f) => LOBBY_WASM.test(f.url)), 'the lobby app');
  await closeAll(host, phone);
});

test('a room code typed on the start page before the app arrived is kept by the app', async () => {
  const phone = await device(env.browser, { width: 390, height: 844 });
  const release = await holdApp(phone.page, START_WASM);
  await phone.page.goto(env.server.url);
  await phone.page.getByLabel('Room code').fill('K7W');
  release();
  await phone.page.locator('#boot').waitFor({ state: 'detached' });
  const field = phone.page.locator('#join-code');
  assert.equal(await field.inputValue(), 'K7W');
  assert.equal(await phone.page.evaluate(() => document.activeElement?.id), 'join-code');
  await phone.page.getByRole('button', { name: 'Create room' }).waitFor();
  await closeAll(phone);
});
