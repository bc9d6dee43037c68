// The server is killed in the middle of a session: every page shows that
// it is reconnecting, comes back by itself when the server is up again, and
// nobody is lost or duplicated.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, restartServer, launchBrowser, device, shot, tab } from './harness.mjs';

let server;
let browser;

// How long to wait for a page to come back: not a speed to meet (that would
// be a benchmark) but a bound on waiting for the page's own retries, which
// back off to at most 8 s apart; generous, so a busy machine cannot fail it.
const BACK_BY_ITSELF = 60_000;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('pages reconnect after kill -9 and the room is whole', async () => {
  const host = await device(browser);
  await host.page.goto(server.url);
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.waitForURL(/\/host\//);
  const code = (await host.page.getByTestId('room-code').textContent()).trim();

  const ada = await device(browser, { width: 390, height: 844 });
  await ada.page.goto(`${server.url}join/${code}`);
  await ada.page.getByLabel('Your name, as the group will see it').fill('Ada');
  await ada.page.getByRole('button', { name: 'Join' }).click();
  await ada.page.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();
  // The people in the room are on Ada's People tab.
  await tab(ada.page, 'team');
  for (const page of [host.page, ada.page]) {
    await page.getByTestId('participant-count').filter({ hasText: /^2$/ }).waitFor();
  }

  await server.kill();
  for (const page of [host.page, ada.page]) {
    await page.locator('[data-status="reconnecting"]').waitFor();
  }
  await shot(ada.page, 'learner-reconnecting');

  server = await restartServer(server);
  for (const page of [host.page, ada.page]) {
    await page.locator('[data-status="live"]').waitFor({ timeout: BACK_BY_ITSELF });
    await page.getByTestId('participant-count').filter({ hasText: /^2$/ }).waitFor();
  }
  await ada.page.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();
  assert.deepEqual(await host.page.getByTestId('learner').locator('.name').allTextContents(), ['Ada']);

  // Both pages can act again on the connection they resumed.
  await host.page.locator('.offers li', { hasText: 'Supplier' }).getByRole('button').click();
  await host.page.getByTestId('current-scenario').filter({ hasText: 'Chosen:' }).waitFor();
  await tab(ada.page, 'now');
  await ada.page.getByTestId('learner-scenario').filter({ hasText: 'Ten weeks to peak' }).waitFor();
  await tab(ada.page, 'team');
  await ada.page.getByRole('button', { name: 'Leave the room' }).click();
  await host.page.getByTestId('participant-count').filter({ hasText: /^1$/ }).waitFor();
  for (const d of [host, ada]) {
    assert.deepEqual(d.errors, []);
    await d.context.close();
  }
});
