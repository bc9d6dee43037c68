// A room run in one browser with no server, under load from several windows
// at once: two learner tabs raise cards at the same moment while the console
// and the room view watch; one window decides (the host) and the others send
// it their commands. Every card each learner put on the board must be in
// every window and in the stored log, in the same order — also when the
// deciding window is closed in the middle of a round. Another device that
// opens the room's link is told plainly where the room lives.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, device, shot, shotFromTop, tab } from './harness.mjs';

const env = siteAndBrowser({ before, after });

const ROUNDS = 3;
const EACH = 20;

async function window(context, errors, { width = 1280, height = 800 } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

async function joinTab(context, errors, url, name) {
  const page = await window(context, errors, { width: 390, height: 844 });
  await page.goto(url);
  await page.getByLabel('Your name, as the group will see it').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByTestId('my-name').filter({ hasText: name }).waitFor();
  return page;
}

/** Raises `n` cards as fast as a person can press Enter, without waiting for any. */
async function raise(page, prefix, n) {
  const title = page.getByLabel('A risk you see');
  for (let i = 1; i <= n; i += 1) {
    await title.fill(`${prefix} ${String(i).padStart(2, '0')}`);
    await title.press('Enter');
  }
}

const isRoomView = (page) => page.url().includes('/room-view/');

/** The titles of the cards on a window's board, in board order (the room
 * view's first page of them; a learner's Board tab). */
async function board(page) {
  if (isRoomView(page)) return page.locator('[data-testid="room-view-card"] .rv-title').allTextContents();
  return page.locator('[data-testid="risk-card"] .card-title').allTextContents();
}

async function boardHas(page, count) {
  await page.waitForFunction(
    ([n, wall]) =>
      wall
        ? document.querySelector('[data-testid="card-count"]')?.textContent === String(n)
        : document.querySelectorAll('[data-testid="risk-card"]').length === n,
    [count, isRoomView(page)],
    { timeout: 30_000 },
  );
}

/** The titles of the cards raised in the stored log, in log order. */
async function storedTitles(page, code) {
  return page.evaluate((code) => {
    const kept = JSON.parse(localStorage.getItem(`riskroom.local.log.${code}`));
    const seqs = kept.log.map((e) => e.seq);
    if (seqs.some((s, i) => s !== i + 1)) throw new Error(`the stored log has gaps: ${seqs}`);
    return kept.log.filter((e) => e.event.type === 'risk_raised').map((e) => e.event.title);
  }, code);
}

test('two learner tabs raising at once lose nothing, even when the deciding window closes', async () => {
  const errors = [];
  const host = await device(env.browser, { width: 1280, height: 1000 });
  host.page.on('pageerror', (e) => errors.push(e.message));
  await host.page.goto(env.site.url);
  await host.page.getByLabel('Session title').fill('Load drill');
  await host.page.getByRole('button', { name: 'Run on this device only (no server)' }).click();
  await host.page.waitForURL(/\/host\/[2-9A-Z]{6}$/);
  const code = (await host.page.getByTestId('room-code').textContent()).trim();
  await host.page.locator('.offers li', { hasText: 'Supplier' }).getByRole('button').click();
  await host.page.getByTestId('current-scenario').filter({ hasText: 'Chosen:' }).waitFor();

  const roomViewUrl = await host.page.getByTestId('room-view-link').getAttribute('href');
  const roomView = await window(host.context, errors, { width: 1920, height: 1080 });
  await roomView.goto(roomViewUrl);
  await roomView.getByTestId('room-view-code').filter({ hasText: code }).waitFor();

  const joinUrl = await host.page.getByTestId('join-link').textContent();
  const ada = await joinTab(host.context, errors, joinUrl, 'Ada');
  const eve = await joinTab(host.context, errors, joinUrl, 'Eve');
  await host.page.getByRole('button', { name: 'Start Briefing' }).click();
  await host.page.getByRole('button', { name: 'Start Identify' }).click();
  await ada.getByLabel('A risk you see').waitFor();
  await eve.getByLabel('A risk you see').waitFor();

  // The console opened first, so it decides; it closes in the middle of the
  // last round and another window takes over.
  let watchers = [host.page, roomView];
  let expected = 0;
  for (let round = 1; round <= ROUNDS; round += 1) {
    const last = round === ROUNDS;
    for (const page of [ada, eve]) await tab(page, 'now');
    const closing = last
      ? (async () => {
          // The count on Ada's Board tab, beside the form she raises from.
          await ada.waitForFunction(
            (n) => Number(document.querySelector('[data-testid="tab-board"] .tab-badge')?.textContent ?? 0) >= n,
            expected + 10,
          );
          await host.page.close();
        })()
      : Promise.resolve();
    await Promise.all([raise(ada, `Ada r${round}`, EACH), raise(eve, `Eve r${round}`, EACH), closing]);
    if (last) watchers = [roomView];
    expected += 2 * EACH;
    const windows = [...watchers, ada, eve];
    for (const page of [ada, eve]) await tab(page, 'board');
    for (const page of windows) await boardHas(page, expected);
    const stored = await storedTitles(ada, code);
    assert.equal(stored.length, expected, `round ${round}: the stored log holds every card`);
    assert.equal(new Set(stored).size, expected, `round ${round}: no card is stored twice`);
    for (const page of windows) {
      const shown = await board(page);
      assert.deepEqual(shown, stored.slice(0, shown.length), `round ${round}: ${page.url()} shows the log's order`);
      assert.ok(shown.length > 0);
    }
    console.log(`round ${round}: ${stored.length} cards stored, shown alike in ${windows.length} windows`);
  }
  await shot(roomView, 'local-concurrency-room-view');
  await shotFromTop(ada, 'local-concurrency-learner');

  // Another device (its own browser storage) on the same link is told where
  // the room lives, instead of waiting for a server that is not there.
  const phone = await device(env.browser, { width: 390, height: 844 });
  await phone.page.goto(joinUrl);
  await phone.page
    .getByRole('alert')
    .filter({ hasText: 'runs in one browser on the computer that created it' })
    .waitFor();
  await shot(phone.page, 'local-other-device');
  await phone.context.close();

  assert.deepEqual(errors, [], 'no page errors');
  await host.context.close();
});
