// A facilitator opens a room; two learners on their own devices join through
// the link and by typing the code; everyone sees everyone; a reload keeps the
// same participant; a second room sees nothing of the first.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, shot, tab } from './harness.mjs';

const env = serverAndBrowser({ before, after });

async function createRoom(page, title) {
  await page.goto(env.server.url);
  await page.getByLabel('Session title').fill(title);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(/\/host\/[2-9A-Z]{6}$/);
  const code = (await page.getByTestId('room-code').textContent()).trim();
  await page.getByText('Live', { exact: true }).waitFor();
  return code;
}

async function joinAs(page, name) {
  await page.getByLabel('Your name, as the group will see it').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByTestId('my-name').filter({ hasText: name }).waitFor();
}

/** A learner's page lists the people on its People tab. */
async function people(page) {
  if (page.url().includes('/join/')) await tab(page, 'team');
}

async function expectCount(page, n) {
  await page.getByTestId('participant-count').filter({ hasText: new RegExp(`^${n}$`) }).waitFor();
}

async function learnerNames(page) {
  return page.getByTestId('learner').locator('.name').allTextContents();
}

test('two learners join a room and everyone sees three people', async () => {
  const host = await device(env.browser);
  const code = await createRoom(host.page, 'Peak season drill');
  assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/);

  // The console shows the join link and a QR code of it.
  const joinLink = await host.page.getByTestId('join-link').textContent();
  assert.equal(joinLink, `${env.server.url}join/${code}`);
  const qr = host.page.getByRole('img', { name: /QR code of the join link/ });
  await qr.waitFor();
  assert.ok((await qr.boundingBox()).width >= 150, 'QR code is large enough to scan');
  await expectCount(host.page, 1);
  await shot(host.page, 'console-empty');

  // Ada opens the link on her phone.
  const ada = await device(env.browser, { width: 390, height: 844 });
  await ada.page.goto(joinLink);
  await ada.page.getByText('Peak season drill').waitFor();
  await joinAs(ada.page, 'Ada');

  // Grace types the code on the start page (lower case, with a dash).
  const grace = await device(env.browser);
  await grace.page.goto(env.server.url);
  await grace.page.getByLabel('Room code').fill(`${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`);
  await grace.page.getByRole('button', { name: 'Join' }).click();
  await grace.page.waitForURL(`${env.server.url}join/${code}`);
  await joinAs(grace.page, 'Grace');

  for (const page of [host.page, ada.page, grace.page]) {
    await people(page);
    await expectCount(page, 3);
    assert.deepEqual(await learnerNames(page), ['Ada', 'Grace']);
  }
  await host.page.locator('.participants li', { hasText: 'Grace' }).getByText('online').waitFor();
  await shot(host.page, 'console-three');
  await shot(ada.page, 'learner-phone');

  // Ada reloads: still Ada, no duplicate, on every page (her People tab
  // still open).
  await ada.page.reload();
  await ada.page.getByTestId('tab-team').and(ada.page.locator('[aria-selected="true"]')).waitFor();
  await ada.page.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();
  for (const page of [host.page, ada.page, grace.page]) {
    await expectCount(page, 3);
    assert.deepEqual(await learnerNames(page), ['Ada', 'Grace']);
  }

  // A taken name is refused in words, and nothing changes.
  const eve = await device(env.browser);
  await eve.page.goto(joinLink);
  await eve.page.getByLabel('Your name, as the group will see it').fill('grace');
  await eve.page.getByRole('button', { name: 'Join' }).click();
  await eve.page.getByRole('alert').filter({ hasText: 'Someone in this room is already called “grace”' }).waitFor();
  await shot(eve.page, 'learner-name-taken');
  await expectCount(host.page, 3);

  // User text renders as text, never as markup.
  const mallory = await device(env.browser);
  await mallory.page.goto(joinLink);
  await joinAs(mallory.page, '<img src=x onerror=alert(1)>');
  await host.page.getByTestId('learner').locator('.name').getByText('<img src=x onerror=alert(1)>', { exact: true }).waitFor();
  assert.equal(await host.page.locator('.participants img').count(), 0);

  // A second room is a world apart.
  const host2 = await device(env.browser);
  const code2 = await createRoom(host2.page, 'Ransomware tabletop');
  assert.notEqual(code2, code);
  const linus = await device(env.browser);
  await linus.page.goto(`${env.server.url}join/${code2}`);
  await joinAs(linus.page, 'Linus');
  await people(linus.page);
  await expectCount(linus.page, 2);
  assert.deepEqual(await learnerNames(linus.page), ['Linus']);
  assert.equal(await linus.page.getByText('Ada').count(), 0);
  assert.deepEqual(await learnerNames(host.page), ['Ada', 'Grace', '<img src=x onerror=alert(1)>']);

  for (const d of [host, ada, grace, eve, mallory, host2, linus]) {
    assert.deepEqual(d.errors, [], 'no script errors on the page');
    await d.context.close();
  }
});

test('an unknown room code gets a plain explanation', async () => {
  const visitor = await device(env.browser);
  await visitor.page.goto(`${env.server.url}join/ZZZZZZ`);
  await visitor.page.getByText('There is no room ZZZZZZ. Check the code on the screen.').waitFor();
  await visitor.page.goto(`${env.server.url}join/ABC`);
  await visitor.page.getByText('A room code has 6 characters; this one has 3.', { exact: false }).waitFor();
  await visitor.context.close();
});
