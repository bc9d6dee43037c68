// The learner's phone, played as a learner would: three phones (390×844 and
// 360×740) through a whole exercise. Each phase opens on what the learner
// can do now, in one or two screens; the brief, the board and the news are
// a tap away and the open tab survives a reload; estimates are set one risk
// at a time with thumbs; refusals appear beside the control, in view, and
// nothing typed is lost; controls that cannot act say why.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser, device, shot, violations, sideways, createRoom, joinAs, tab } from './harness.mjs';

const env = serverAndBrowser({ before, after });

/** The page's height in screens of its viewport. */
async function screens(page) {
  return page.evaluate(() => document.documentElement.scrollHeight / innerHeight);
}

/** Whether a locator's box lies inside the viewport as it stands. */
async function inView(locator) {
  const box = await locator.boundingBox();
  const { height, width } = locator.page().viewportSize();
  return box !== null && box.y >= 0 && box.y + box.height <= height && box.x >= 0 && box.x + box.width <= width;
}

test('a learner plays the whole exercise on a phone', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  const code = await createRoom(host.page, env.server.url, { title: 'Phones', scenario: 'ransomware' });
  const phones = [];
  for (const [name, size] of [['Joan', { width: 390, height: 844 }], ['Kim', { width: 360, height: 740 }], ['Lee', { width: 390, height: 844 }]]) {
    const d = await device(env.browser, size);
    await joinAs(d.page, `${env.server.url}join/${code}`, name);
    phones.push({ ...d, name });
  }
  const [joan, kim] = phones;
  const heights = {};
  const look = async (phase) => {
    for (const p of phones) await p.page.evaluate(() => scrollTo(0, 0));
    await shot(joan.page, `phone-${phase}-390`);
    await shot(kim.page, `phone-${phase}-360`);
    for (const p of phones) {
      assert.deepEqual(await sideways(p.page), [], `${phase}: ${p.name}'s phone scrolls sideways`);
      const h = await screens(p.page);
      heights[`${phase} (${p.name})`] = Math.round(h * 100) / 100;
      assert.ok(h <= 2, `${phase}: ${p.name}'s first tab is ${h.toFixed(2)} screens tall`);
    }
    assert.deepEqual(await violations(kim.page), [], `${phase}: the 360×740 phone`);
  };
  const start = async (phase) => {
    await host.page.getByRole('button', { name: `Start ${phase}` }).click();
    for (const p of phones) await p.page.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
  };

  await look('lobby');
  await start('Briefing');
  await joan.page.getByTestId('private-brief').waitFor();
  await look('briefing');

  await start('Identify');
  // The first screen is the form to raise a risk.
  assert.ok(await inView(kim.page.getByLabel('A risk you see')), 'the form to raise a risk is on the first screen');
  for (const p of phones) {
    for (const worry of ['backups untested', 'payroll offline']) {
      await p.page.getByLabel('A risk you see').fill(`${p.name}: ${worry}`);
      await p.page.getByRole('button', { name: 'Put it on the board' }).click();
      await p.page.getByTestId('my-card').filter({ hasText: `${p.name}: ${worry}` }).waitFor();
    }
  }
  await joan.page.getByTestId('tab-board').filter({ hasText: '6' }).waitFor();

  // Paused: the form says why and keeps what Kim typed.
  await kim.page.getByLabel('A risk you see').fill('Kim: the supplier is late');
  await host.page.getByTestId('pause-room').click();
  await kim.page.getByTestId('raise-closed').waitFor();
  assert.ok(await kim.page.getByRole('button', { name: 'Put it on the board' }).isDisabled(), 'paused: the button is disabled');
  assert.equal(await kim.page.getByLabel('A risk you see').inputValue(), 'Kim: the supplier is late');
  await host.page.getByTestId('carry-on').click();
  await kim.page.getByTestId('raise-closed').waitFor({ state: 'detached' });
  await kim.page.getByRole('button', { name: 'Put it on the board' }).click();
  await kim.page.getByTestId('my-card').filter({ hasText: 'supplier is late' }).waitFor();

  // Learners own their words: Joan edits her card.
  const mine = joan.page.getByTestId('my-card').filter({ hasText: 'Joan: payroll offline' });
  await mine.getByRole('button', { name: /^Edit/ }).click();
  const editing = joan.page.getByRole('form', { name: 'Edit “Joan: payroll offline”' });
  await editing.getByLabel('The risk').fill('Joan: payroll offline for a week');
  await editing.getByRole('button', { name: 'Save' }).click();
  await host.page.getByTestId('risk-card').locator('h3', { hasText: 'Joan: payroll offline for a week' }).waitFor();

  // The board is a tap away, and the open tab survives a reload.
  await tab(joan.page, 'board');
  await joan.page.getByTestId('risk-card').filter({ hasText: 'Lee: backups untested' }).waitFor();
  await joan.page.reload();
  await joan.page.getByTestId('tab-board').and(joan.page.locator('[aria-selected="true"]')).waitFor();
  await tab(joan.page, 'now');
  await look('identify');

  // News arrives as an alert that can be read or dismissed.
  await host.page.getByRole('button', { name: /^Fire “/ }).first().click();
  for (const p of phones) await p.page.getByTestId('news-alert').waitFor();
  assert.ok(await inView(kim.page.getByTestId('news-alert')), 'the news alert is in view');
  await kim.page.getByRole('button', { name: 'Read it' }).click();
  await kim.page.getByTestId('inject-news').first().waitFor();
  await joan.page.getByRole('button', { name: 'Dismiss' }).click();
  await joan.page.getByTestId('news-alert').waitFor({ state: 'detached' });
  await tab(kim.page, 'now');
  assert.equal(await kim.page.getByTestId('news-alert').count(), 0, 'news read is not announced again');

  await start('Assess');
  // One risk at a time, with how many are left.
  await kim.page.getByTestId('estimate-stepper').waitFor();
  const cards = Number((await kim.page.getByTestId('tab-board').textContent()).match(/\d+/)[0]);
  await kim.page.getByTestId('estimates-left').filter({ hasText: `${cards} left` }).waitFor();
  // A range the core refuses: the reason shows beside the button, in view,
  // and what was set stays.
  await kim.page.getByRole('button', { name: '1 in 10 years' }).click();
  await kim.page.getByTestId('amount-low').fill('900000');
  await kim.page.getByTestId('amount-high').fill('50000');
  await kim.page.getByTestId('save-estimate').click();
  const refusal = kim.page.getByTestId('refusal');
  await refusal.filter({ hasText: 'high end' }).waitFor();
  assert.ok(await inView(refusal), 'the refusal is on the screen');
  assert.equal(await kim.page.getByTestId('amount-low').inputValue(), '900000');
  assert.equal(await kim.page.getByTestId('likelihood').inputValue(), '10');
  await kim.page.getByTestId('amount-high').fill('2000000');
  await kim.page.getByTestId('save-estimate').click();
  await kim.page.getByTestId('estimates-left').filter({ hasText: `${cards - 1} left` }).waitFor();
  // The rest with thumbs: a quick choice and the two sliders.
  for (const p of phones) {
    for (;;) {
      const left = p.page.getByTestId('estimates-left');
      if (await p.page.getByTestId('estimates-done').count()) break;
      const text = await left.textContent();
      if (/all estimated/.test(text)) break;
      await p.page.getByRole('button', { name: '1 in 4 years' }).click();
      await p.page.getByTestId('slider-low').fill('4');
      await p.page.getByTestId('slider-high').fill('6');
      await p.page.getByTestId('save-estimate').click();
      await left.filter({ hasNotText: text }).or(p.page.getByTestId('estimates-done')).first().waitFor();
    }
    await p.page.getByTestId('estimates-done').waitFor();
  }
  assert.match(await joan.page.getByTestId('estimates-done').textContent(), /Every risk estimated/);
  await look('assess');
  await host.page.getByTestId('reveal').click();
  for (const p of phones) await p.page.getByTestId('step-spread').waitFor();
  // The map of every risk's spread is a tap away.
  await joan.page.getByText("Every risk's spread on the map").click();
  await joan.page.getByTestId('heat-map').waitFor();
  await joan.page.getByText("Every risk's spread on the map").click();
  // Agreeing, one risk at a time, from the middle of the team's estimates.
  await kim.page.getByTestId('estimates-left').filter({ hasText: `${cards} left to agree` }).waitFor();
  await kim.page.getByTestId('save-estimate').click();
  await kim.page.getByTestId('estimates-left').filter({ hasText: `${cards - 1} left to agree` }).waitFor();
  await look('assess-revealed');

  await start('Respond');
  // Votes: when none are left, Vote is disabled and says why.
  await tab(joan.page, 'propose');
  for (let i = 0; i < 4; i += 1) {
    await joan.page.getByTestId('catalogue-response').getByRole('button', { name: /^Propose/ }).first().click();
    await joan.page.getByTestId('catalogue-response').getByText('On the board').nth(i).waitFor();
  }
  await tab(joan.page, 'now');
  const votes = Number((await joan.page.getByTestId('votes-left').textContent()).match(/of (\d+) left/)[1]);
  for (let i = 0; i < votes; i += 1) {
    await joan.page.getByRole('button', { name: /^Vote for/ }).first().click();
    await joan.page.getByRole('button', { name: /^Take back my vote/ }).nth(i).waitFor();
  }
  await joan.page.getByTestId('votes-left').filter({ hasText: 'No votes left' }).waitFor();
  const blocked = joan.page.getByRole('button', { name: /^Vote for/ }).first();
  assert.ok(await blocked.isDisabled(), 'no votes left: Vote is disabled');
  await joan.page.getByTestId('vote-why').first().waitFor();
  await look('respond');

  // Lee's phone dies mid-Respond, after a vote: the facilitator gives Lee a
  // seat code, and Lee carries on on another device as Lee, with the same
  // role, estimates and vote; the old phone is shut out.
  const lee = phones[2];
  await lee.page.getByRole('button', { name: /^Vote for/ }).first().click();
  await lee.page.getByRole('button', { name: /^Take back my vote/ }).waitFor();
  await tab(lee.page, 'brief');
  const role = (await lee.page.getByTestId('my-role').textContent()).trim();
  await host.page.getByText(/^Join details and people/).click();
  await host.page.getByText("Move seat", { exact: true }).and(host.page.locator('summary')).nth(2).click();
  await host.page.getByRole('button', { name: "Move Lee's seat to another device" }).click();
  const seat = (await host.page.getByTestId('seat-code').textContent()).trim();
  assert.match(seat, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const other = await device(env.browser, { width: 390, height: 844 });
  await other.page.goto(`${env.server.url}join/${code}`);
  await other.page.getByLabel('Seat code').fill(seat.toLowerCase());
  await other.page.getByRole('button', { name: 'Take my seat' }).click();
  await lee.page.getByTestId('closed-reason').filter({ hasText: 'moved to another device' }).waitFor();
  assert.equal(await lee.page.getByRole('button', { name: 'Join again' }).count(), 0, 'the old phone cannot join again');
  await other.page.getByTestId('tab-now').waitFor();
  await other.page.getByRole('button', { name: /^Take back my vote/ }).waitFor();
  await tab(other.page, 'brief');
  assert.equal((await other.page.getByTestId('my-role').textContent()).trim(), role);
  await tab(other.page, 'board');
  assert.equal(await other.page.getByTestId('my-estimate').count(), cards, 'every estimate came along');
  await tab(other.page, 'team');
  assert.equal((await other.page.getByTestId('my-name').textContent()).trim(), 'Lee');
  await shot(other.page, 'phone-seat-moved-390');
  phones[2] = { ...other, name: 'Lee' };
  await lee.context.close();

  await start('Play the year');
  await look('year');
  await start('Debrief');
  await host.page.getByTestId('reveal-scores').click();
  await joan.page.getByTestId('score-quantitative').waitFor({ timeout: 60000 });
  await look('debrief');
  // The debrief's other parts are a tap away.
  await tab(kim.page, 'truth');
  await kim.page.getByTestId('belief-vs-truth').or(kim.page.getByTestId('debrief-timeline')).first().waitFor();
  await tab(kim.page, 'notes');
  // A lesson and an action item travel in the report's files.
  await kim.page.getByLabel('A lesson the team learned').fill('Say what you know early');
  await kim.page.getByRole('button', { name: 'Add lesson' }).click();
  await kim.page.getByLabel('An action to take back to work').fill('Test the payroll restore');
  await kim.page.getByLabel('Who owns it').fill('Kim');
  await kim.page.getByRole('button', { name: 'Add action item' }).click();
  await kim.page.getByText('Test the payroll restore').first().waitFor();
  const download = kim.page.waitForEvent('download');
  await kim.page.getByTestId('export-csv').click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  assert.match(csv, /Lesson,Say what you know early,Kim/);
  assert.match(csv, /Action item,Test the payroll restore,Kim,Kim/);
  const json = kim.page.waitForEvent('download');
  await kim.page.getByTestId('export-json').click();
  const report = JSON.parse(readFileSync(await (await json).path(), 'utf8'));
  assert.deepEqual(report.lessons.map((l) => l.text), ['Say what you know early']);
  assert.deepEqual(report.action_items.map((a) => [a.text, a.owner]), [['Test the payroll restore', 'Kim']]);
  await tab(kim.page, 'now');

  // Ending the room keeps the debrief on every screen and behind the link.
  host.page.once('dialog', (dialog) => dialog.accept());
  await host.page.getByText('End this room').click();
  await host.page.getByRole('button', { name: 'End the room for everyone' }).click();
  for (const p of phones) await p.page.getByTestId('ended').waitFor();
  await joan.page.reload();
  await joan.page.getByTestId('ended').waitFor();
  await joan.page.getByTestId('score-quantitative').waitFor({ timeout: 60000 });
  await shot(joan.page, 'phone-ended-390');

  console.log('page heights in screens:', JSON.stringify(heights, null, 1));
  for (const d of [host, ...phones]) {
    assert.deepEqual(d.errors, [], 'no errors on any screen');
    await d.context.close();
  }
});

test('learners own their cards; a learner removed with their cards and blocked stays out', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  const code = await createRoom(host.page, env.server.url, { title: 'Removals', scenario: 'Supplier' });
  const joinUrl = `${env.server.url}join/${code}`;
  const ann = await device(env.browser, { width: 390, height: 844 });
  const bob = await device(env.browser, { width: 360, height: 740 });
  await joinAs(ann.page, joinUrl, 'Ann');
  await joinAs(bob.page, joinUrl, 'Bob');
  for (const phase of ['Briefing', 'Identify']) {
    await host.page.getByRole('button', { name: `Start ${phase}` }).click();
    for (const p of [ann.page, bob.page]) await p.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
  }
  for (const [p, title] of [[ann.page, 'Ann: a second port strike'], [ann.page, 'Ann: the port strikes'], [bob.page, 'Bob: fuel prices']]) {
    await p.getByLabel('A risk you see').fill(title);
    await p.getByRole('button', { name: 'Put it on the board' }).click();
    await p.getByTestId('my-card').filter({ hasText: title }).waitFor();
  }
  await host.page.getByTestId('card-count').filter({ hasText: /^3$/ }).waitFor();

  // Ann withdraws one of her cards: it leaves every board.
  await ann.page.getByRole('button', { name: 'Withdraw “Ann: a second port strike”' }).click();
  await host.page.getByTestId('card-count').filter({ hasText: /^2$/ }).waitFor();
  await ann.page.getByTestId('my-card').filter({ hasText: 'a second port strike' }).waitFor({ state: 'detached' });
  assert.equal(await ann.page.getByTestId('my-card').count(), 1);
  assert.equal(await host.page.getByText('Ann: a second port strike').count(), 0, 'a withdrawn card is gone, not set aside');

  // Bob is removed with his cards and may not come back.
  await host.page.getByText(/^Join details and people/).click();
  await host.page.getByRole('button', { name: 'Remove Bob' }).click();
  await host.page.getByLabel('Take their cards off the board too').check();
  await host.page.getByLabel('Do not let them join again').check();
  await host.page.getByTestId('confirm-remove').click();
  await bob.page.getByTestId('closed-reason').filter({ hasText: 'cannot join it again' }).waitFor();
  assert.equal(await bob.page.getByRole('button', { name: 'Join again' }).count(), 0);
  await host.page.getByTestId('card-count').filter({ hasText: /^1$/ }).waitFor();
  await shot(bob.page, 'phone-removed-360');

  // On another device, the same name is refused beside the Join button.
  const again = await device(env.browser, { width: 360, height: 740 });
  await again.page.goto(joinUrl);
  await again.page.getByLabel('Your name, as the group will see it').fill('bob');
  await again.page.getByRole('button', { name: 'Join' }).click();
  const refusal = again.page.getByTestId('refusal').filter({ hasText: 'removed' });
  await refusal.waitFor();
  assert.ok(await inView(refusal), 'the refusal is where the learner looks');
  assert.equal(await again.page.getByLabel('Your name, as the group will see it').inputValue(), 'bob', 'the name stays');

  for (const d of [host, ann, again]) assert.deepEqual(d.errors, [], 'no errors');
  for (const d of [host, ann, bob, again]) await d.context.close();
});

test('the facilitator merges a duplicate card, the list of cards drawn for that card alone', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  const code = await createRoom(host.page, env.server.url, { title: 'Duplicates', scenario: 'Supplier' });
  const ann = await device(env.browser, { width: 390, height: 844 });
  await joinAs(ann.page, `${env.server.url}join/${code}`, 'Ann');
  for (const phase of ['Briefing', 'Identify']) {
    await host.page.getByRole('button', { name: `Start ${phase}` }).click();
    await ann.page.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
  }
  for (const title of ['The port strikes', 'A strike at the port', 'Fuel prices']) {
    await ann.page.getByLabel('A risk you see').fill(title);
    await ann.page.getByRole('button', { name: 'Put it on the board' }).click();
    await ann.page.getByTestId('my-card').filter({ hasText: title }).waitFor();
  }
  await host.page.getByTestId('card-count').filter({ hasText: /^3$/ }).waitFor();
  // No card carries a list of the others until the facilitator asks.
  const lists = host.page.getByRole('combobox', { name: /^Merge “/ });
  assert.equal(await lists.count(), 0);
  const open = host.page.getByRole('button', { name: 'Merge “A strike at the port” into another card' });
  const list = host.page.getByRole('combobox', { name: 'Merge “A strike at the port” into another card' });
  const focused = (locator) => locator.evaluate((el) => el === document.activeElement);
  // Escape closes the list without merging, back on the button.
  await open.click();
  await list.waitFor();
  assert.ok(await focused(list), 'the list has the focus');
  await host.page.keyboard.press('Escape');
  await list.waitFor({ state: 'detached' });
  assert.ok(await focused(open), 'back on "Merge…"');
  // Moving through the list merges nothing; the Merge button does.
  await open.click();
  assert.equal(await lists.count(), 1, 'one list, for the card asked about');
  await list.selectOption({ label: 'The port strikes' });
  assert.equal((await host.page.getByTestId('card-count').textContent()).trim(), '3', 'choosing is not merging');
  await host.page.getByRole('button', { name: 'Merge “A strike at the port” into the card chosen' }).click();
  await host.page.getByTestId('card-count').filter({ hasText: /^2$/ }).waitFor();
  await tab(ann.page, 'board');
  await ann.page.getByTestId('card-count').filter({ hasText: /^2$/ }).waitFor();
  assert.equal(await lists.count(), 0, 'the list closes once used');
  for (const d of [host, ann]) {
    assert.deepEqual(d.errors, []);
    await d.context.close();
  }
});
