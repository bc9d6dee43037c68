// Moving the console: the facilitator makes a one-time move link on the
// laptop and opens it on a tablet (its QR code reads as the link). The
// tablet runs the room; the laptop's console is told and closed, its key
// opens nothing after a reload, and the link does not work twice. The
// projector's room view carries on untouched. "Shut out every other
// console" closes a forgotten tab and keeps the console that asked.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, shot, createRoom, joinAs, readQr } from './harness.mjs';

const env = serverAndBrowser({ before, after });

const phase = (page) => page.getByTestId('phase').first();

test('moving the console moves it, and other consoles can be shut out', async () => {
  const laptop = await device(env.browser, { width: 1920, height: 1080 });
  const code = await createRoom(laptop.page, env.server.url, { title: 'Moving day', scenario: 'Supplier' });
  const roomViewLink = await laptop.page.getByTestId('room-view-link').getAttribute('href');
  const wall = await device(env.browser, { width: 1280, height: 720 });
  await wall.page.goto(roomViewLink);
  await wall.page.getByTestId('room-view-code').waitFor();
  const ada = await device(env.browser, { width: 390, height: 844 });
  await joinAs(ada.page, `${env.server.url}join/${code}`, 'Ada');

  // The laptop makes a move link; it is shown with its QR code.
  const move = laptop.page.getByTestId('console-move');
  await move.locator('summary').click();
  await move.getByTestId('offer-console-move').click();
  const linkField = move.getByTestId('console-move-link');
  await linkField.waitFor();
  const link = await linkField.inputValue();
  assert.match(link, new RegExp(`/host/${code}#move=[0-9a-f]{32}&root=[0-9a-f]{32}$`));
  assert.equal(await readQr(move.locator('.console-move-link .qr')), link);
  await shot(laptop.page, 'console-move-link-1080');

  // The tablet opens it and runs the room.
  const tablet = await device(env.browser, { width: 1280, height: 720 });
  await tablet.page.goto(link);
  await tablet.page.getByTestId('phase-next').waitFor();
  assert.ok(!tablet.page.url().includes('move='), 'the move code leaves the address bar');
  // The laptop is told, where it looks, and no longer runs anything.
  await laptop.page.getByRole('alert').filter({ hasText: 'This console moved to another device' }).waitFor();
  assert.equal(await laptop.page.getByTestId('phase-next').count(), 0);
  await shot(laptop.page, 'console-moved-away-1080');
  // The tablet shows the same room-view link, and the projector stays.
  assert.equal(await tablet.page.getByTestId('room-view-link').getAttribute('href'), roomViewLink);
  await tablet.page.getByTestId('phase-next').click();
  await phase(ada.page).filter({ hasText: 'Briefing' }).waitFor();
  await wall.page.getByTestId('phase').filter({ hasText: /^Briefing$/ }).waitFor();
  await shot(tablet.page, 'console-moved-here-720');

  // A reload on the laptop: its old key opens nothing, and it says why.
  await laptop.page.reload();
  await laptop.page.getByRole('alert').filter({ hasText: 'if the console moved to another device, run the room there' }).waitFor();
  assert.equal(await laptop.page.getByTestId('phase-next').count(), 0);

  // The link worked once.
  const late = await device(env.browser, { width: 1280, height: 720 });
  await late.page.goto(link);
  await late.page.getByRole('alert').filter({ hasText: 'This console link was used, replaced or has expired' }).waitFor();
  assert.equal(await late.page.getByTestId('phase-next').count(), 0);
  assert.equal(await phase(ada.page).textContent(), 'Briefing');

  // A second console tab on the tablet, then "Shut out every other console"
  // from the first: the second closes, the first carries on, and a reload
  // of the first still runs the room.
  const second = await tablet.context.newPage();
  await second.goto(`${env.server.url}host/${code}`);
  await second.getByTestId('phase-next').waitFor();
  tablet.page.once('dialog', (dialog) => dialog.accept());
  const panel = tablet.page.getByTestId('console-move');
  await panel.locator('summary').click();
  await panel.getByTestId('shut-out-consoles').click();
  await panel.getByTestId('consoles-shut-out').waitFor();
  await second.getByRole('alert').filter({ hasText: 'shut out the other consoles' }).waitFor();
  await tablet.page.getByTestId('phase-next').click();
  await phase(ada.page).filter({ hasText: 'Identify' }).waitFor();
  await tablet.page.reload();
  await tablet.page.getByTestId('phase-next').waitFor();
  assert.equal(await tablet.page.getByTestId('room-view-link').getAttribute('href'), roomViewLink);
  await wall.page.getByTestId('phase').filter({ hasText: /^Identify$/ }).waitFor();
});
