// A whole exercise in the browser: a facilitator runs a built-in scenario
// with two learners on their own devices and the room view on a projector,
// phase by phase — private briefs, risks raised from clues, private
// estimates revealed at once, an agreed value, responses adopted within
// budget and re-simulated live, an inject, the played year and the debrief.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser, device, shot, shotFromTop, violations, sideways, createRoom, joinAs, tab, onEveryTab } from './harness.mjs';

const env = serverAndBrowser({ before, after });

async function phaseIs(pages, name) {
  for (const page of pages) {
    await page.getByTestId('phase').filter({ hasText: new RegExp(`^${name}$`) }).waitFor();
  }
}

async function next(host, name) {
  await host.getByRole('button', { name: `Start ${name}` }).click();
}

test('a facilitator runs a whole exercise with two learners and a projector', async () => {
  const host = await device(env.browser, { width: 1280, height: 1000 });
  const code = await createRoom(host.page, env.server.url, { title: 'Peak season drill', scenario: 'Supplier' });

  // The room view opens on the projector's own computer from its link,
  // which holds a key that controls nothing.
  const roomViewUrl = await host.page.getByTestId('room-view-link').getAttribute('href');
  const projector = await device(env.browser, { width: 1920, height: 1080 });
  const roomView = projector.page;
  await roomView.goto(roomViewUrl);
  await roomView.getByTestId('room-view-code').filter({ hasText: code }).waitFor();
  const stored = await roomView.evaluate(() => Object.keys(localStorage));
  assert.ok(!stored.some((k) => k.startsWith('riskroom.facilitator-key')), 'the projector holds no facilitator key');

  const ada = await device(env.browser, { width: 390, height: 844 });
  const grace = await device(env.browser, { width: 390, height: 844 });
  const joinUrl = `${env.server.url}join/${code}`;
  await joinAs(ada.page, joinUrl, 'Ada');
  await joinAs(grace.page, joinUrl, 'Grace');
  await roomView.getByTestId('room-view-people').filter({ hasText: '2 people have joined' }).waitFor();

  // Roles were dealt as they joined; the facilitator marks Ada as role model.
  await host.page.getByRole('button', { name: 'Mark Ada as role model' }).click();
  await host.page.getByRole('button', { name: 'Unmark Ada' }).waitFor();
  await shot(roomView, 'room-view-lobby');

  // Briefing: each learner sees their own role and private brief only.
  await next(host.page, 'Briefing');
  await phaseIs([host.page, ada.page, grace.page, roomView], 'Briefing');
  const adaRole = (await ada.page.getByTestId('my-role').textContent()).trim();
  const graceRole = (await grace.page.getByTestId('my-role').textContent()).trim();
  assert.notEqual(adaRole, graceRole, 'roles are dealt evenly');
  const adaBrief = (await ada.page.getByTestId('private-brief').textContent()).trim();
  const graceBrief = (await grace.page.getByTestId('private-brief').textContent()).trim();
  assert.ok(adaBrief.length > 40 && graceBrief.length > 40);
  await onEveryTab(grace.page, async (id) => {
    assert.equal(await grace.page.getByText(adaBrief.slice(0, 60)).count(), 0, `Ada's brief is hers alone (Grace's ${id} tab)`);
  });
  await ada.page.getByText('You are the group\'s role model').waitFor();
  // The shared story is a tab away from the brief.
  await tab(ada.page, 'story');
  await ada.page.getByTestId('narrative').waitFor();
  assert.deepEqual(await violations(ada.page), [], 'learner reading the story');
  await tab(ada.page, 'now');
  await ada.page.getByTestId('private-brief').waitFor();
  await shotFromTop(ada.page, 'learner-briefing');
  assert.deepEqual(await violations(ada.page), [], 'learner in the briefing');
  assert.deepEqual(await violations(host.page), [], 'console in the briefing');

  // Identify: a risk from a clue in Ada's brief, and one in Grace's words.
  await next(host.page, 'Identify');
  await phaseIs([ada.page, grace.page], 'Identify');
  // Pausing stops input on every phone, with the reason, until it carries on.
  await ada.page.getByLabel('A risk you see').fill('Our only supplier fails');
  await host.page.getByTestId('pause-room').click();
  for (const page of [ada.page, grace.page, roomView]) {
    await page.getByTestId('paused').filter({ hasText: 'Paused by the facilitator' }).waitFor();
  }
  // The form stays, closed, and says why; what was typed is kept.
  await ada.page.getByTestId('raise-closed').filter({ hasText: 'paused the room' }).waitFor();
  assert.ok(await ada.page.getByLabel('A risk you see').isDisabled(), 'no typing a risk while paused');
  assert.ok(await ada.page.getByRole('button', { name: 'Put it on the board' }).isDisabled(), 'no raising while paused');
  assert.equal(await ada.page.getByLabel('A risk you see').inputValue(), 'Our only supplier fails', 'what was typed stays');
  await shotFromTop(ada.page, 'learner-paused');
  await host.page.getByTestId('carry-on').click();
  await ada.page.getByTestId('paused').waitFor({ state: 'detached' });
  await ada.page.getByTestId('raise-closed').waitFor({ state: 'detached' });
  // A late joiner: the facilitator brings the join screen back to the wall.
  assert.equal(await roomView.getByTestId('room-view-code').count(), 0);
  await host.page.getByRole('button', { name: 'Show how to join on the room view' }).click();
  await roomView.getByTestId('room-view-code').filter({ hasText: code }).waitFor();
  await host.page.getByRole('button', { name: 'Hide how to join on the room view' }).click();
  await roomView.getByTestId('room-view-code').waitFor({ state: 'detached' });
  assert.equal(await ada.page.getByLabel('A risk you see').inputValue(), 'Our only supplier fails');
  await ada.page.getByLabel('Based on').selectOption({ index: 1 });
  await ada.page.getByRole('button', { name: 'Put it on the board' }).click();
  await grace.page.getByLabel('A risk you see').fill('<b>Port strike</b>');
  await grace.page.getByRole('button', { name: 'Put it on the board' }).click();
  // The whole board is a tab away on a phone.
  for (const page of [ada.page, grace.page]) await tab(page, 'board');
  for (const page of [host.page, ada.page, grace.page, roomView]) {
    await page.getByTestId('card-count').filter({ hasText: /^2$/ }).waitFor();
  }
  // Grace asks about Ada's card; Ada and the room view see the question.
  const adaCard = grace.page.getByTestId('risk-card').filter({ hasText: 'Our only supplier fails' });
  await adaCard.getByText(/^Comments/).click();
  await adaCard.getByLabel('Your comment on “Our only supplier fails”').fill('How long could we last without them?');
  await adaCard.getByRole('button', { name: 'Comment' }).click();
  await ada.page.getByTestId('risk-card').filter({ hasText: 'Our only supplier fails' }).getByText('Comments (1)').waitFor();
  await roomView.getByTestId('room-view-card').filter({ hasText: 'Our only supplier fails' }).filter({ hasText: '1 comment' }).waitFor();
  // User text is text.
  await roomView.getByText('<b>Port strike</b>').waitFor();
  assert.equal(await roomView.locator('.rv-title b').count(), 0);
  await shot(roomView, 'room-view-identify');

  // Assess: private estimates, one risk at a time, hidden from each other
  // until the reveal.
  await next(host.page, 'Assess');
  await phaseIs([ada.page, grace.page], 'Assess');
  const estimate = async (page, title, chance, low, high) => {
    await page.getByTestId('step-title').filter({ hasText: title }).waitFor();
    const left = (await page.getByTestId('estimates-left').textContent()).trim();
    await page.getByLabel('Chance in a year (%)').fill(String(chance));
    await page.getByLabel('Low end', { exact: true }).fill(String(low));
    await page.getByLabel('High end', { exact: true }).fill(String(high));
    await page.getByRole('button', { name: 'Save and next' }).click();
    await page.getByTestId('estimates-left').filter({ hasNotText: left }).waitFor();
  };
  await estimate(ada.page, 'Our only supplier fails', 30, 200000, 2000000);
  await ada.page.getByTestId('estimates-left').filter({ hasText: '1 left to estimate' }).waitFor();
  // The console names who has yet to estimate; the wall only counts.
  // (Neither has estimated Grace's “Port strike” yet.)
  await host.page.getByTestId('yet-to-estimate').filter({ hasText: 'Ada, Grace' }).waitFor();
  await roomView.getByTestId('room-view-estimated').filter({ hasText: '0 of 2 have estimated' }).waitFor();
  assert.equal(await roomView.getByText('Grace').count(), 0, 'no names on the wall');
  await estimate(grace.page, 'Our only supplier fails', 10, 50000, 500000);
  // Ada's estimate is saved, and hers to see.
  await ada.page.getByRole('button', { name: 'Previous' }).click();
  await ada.page.getByTestId('my-estimate').filter({ hasText: /Saved: 30% a year, .* 200,000–2,000,000 a time/ }).waitFor();
  await host.page.getByText('2 of 2 estimated').waitFor();
  await onEveryTab(grace.page, async (id) => {
    assert.equal(await grace.page.getByText('30% a year').count(), 0, `Ada's estimate is hidden before the reveal (Grace's ${id} tab)`);
  });
  await host.page.getByTestId('reveal').click();
  // The spread of the team's estimates, and every risk's on the map.
  for (const page of [ada.page, grace.page]) {
    await page.getByTestId('step-spread').waitFor();
    await page.getByText("Every risk's spread on the map").click();
    await page.getByTestId('heat-map').first().waitFor();
  }
  // The wall shows each card's spread, no one's estimate.
  await roomView.getByTestId('room-view-spread').filter({ hasText: 'Our only supplier fails' }).filter({ hasText: '10–30%' }).waitFor();
  await grace.page.getByTestId('step-title').filter({ hasText: 'Our only supplier fails' }).waitFor();
  // Ada's estimate, marked as the role model's; Grace's own is not marked.
  const adas = grace.page.getByTestId('step-spread').locator('li', { hasText: /^30% a year · [A-Z]{3} 200k–2M/ });
  await adas.getByTestId('role-model-estimate').waitFor();
  assert.equal(await grace.page.getByTestId('step-spread').getByTestId('role-model-estimate').count(), 1, 'only the role model\'s estimate is marked');
  assert.equal(await grace.page.getByRole('button', { name: /^(Save|Update) and next$/ }).count(), 0, 'private estimates close at the reveal');
  // Grace proposes the agreed value (starting from the middle of the estimates).
  assert.notEqual(await grace.page.getByLabel('Low end', { exact: true }).inputValue(), '', 'the middle of the estimates to start from');
  await grace.page.getByLabel('Chance in a year (%)').fill('20');
  await grace.page.getByRole('button', { name: 'Agree and next' }).click();
  await grace.page.getByTestId('estimates-left').filter({ hasText: '1 left to agree' }).waitFor();
  await tab(ada.page, 'board');
  await ada.page.getByTestId('risk-card').filter({ hasText: 'Our only supplier fails' }).getByText(/Agreed: 20% a year/).waitFor();
  await shot(roomView, 'room-view-assess');
  await shotFromTop(grace.page, 'learner-assess');
  assert.deepEqual(await violations(grace.page), [], 'learner agreeing, the map open');
  await onEveryTab(grace.page, async (id) => {
    assert.deepEqual(await violations(grace.page), [], `learner assessing (${id} tab)`);
  });
  assert.deepEqual(await violations(roomView), [], 'room view of the estimates');

  // An inject reaches everyone.
  await host.page.getByRole('button', { name: /^Fire “/ }).first().click();
  for (const page of [ada.page, grace.page]) {
    await page.getByTestId('news-alert').waitFor();
  }
  // One reads it from the alert, the other on the News tab.
  await ada.page.getByRole('button', { name: 'Read it' }).click();
  await tab(grace.page, 'news');
  for (const page of [ada.page, grace.page]) {
    await page.getByTestId('inject-news').first().waitFor();
    assert.equal(await page.getByTestId('news-alert').count(), 0, 'news read is not announced again');
  }
  await roomView.getByTestId('room-view-news').filter({ hasText: 'News:' }).waitFor();

  // Respond: a catalogue response, adopted within budget, re-simulated live.
  await next(host.page, 'Respond');
  await phaseIs([ada.page, grace.page], 'Respond');
  // The belief picture, the catalogue and the strategy are tabs of their own.
  await tab(ada.page, 'picture');
  await ada.page.getByTestId('belief-mean').waitFor();
  const before = (await ada.page.getByTestId('belief-mean').textContent()).trim();
  await tab(ada.page, 'propose');
  const offer = ada.page.getByTestId('catalogue-response').first();
  const offerTitle = (await offer.locator('h4').textContent()).trim();
  await offer.getByRole('button', { name: /^Propose/ }).click();
  await grace.page.getByTestId('board-response').filter({ hasText: offerTitle }).waitFor();
  await offer.getByText('On the board').waitFor();
  await tab(ada.page, 'now');
  // The team's vote decides (the room's default): no vote, no Adopt button,
  // and the core's reason under the response's "More".
  const adaOffer = ada.page.getByTestId('board-response').filter({ hasText: offerTitle });
  await adaOffer.getByText(/^More · /).click();
  await adaOffer.getByTestId('adoption-why').filter({ hasText: 'needs the votes of at least 1 of the team' }).waitFor();
  assert.equal(await ada.page.getByRole('button', { name: `Adopt “${offerTitle}”` }).count(), 0);
  await host.page.getByTestId('adoption-rule').filter({ hasText: "the team's vote" }).waitFor();
  await grace.page.getByRole('button', { name: `Vote for “${offerTitle}”` }).click();
  await ada.page.getByRole('button', { name: `Adopt “${offerTitle}”` }).click();
  await grace.page.getByTestId('board-response').filter({ hasText: 'In the strategy' }).waitFor();
  // The console can drop and adopt for the team too; every screen shows it.
  await host.page.getByRole('button', { name: `Drop for the team: “${offerTitle}”` }).click();
  await roomView.getByTestId('room-view-response').filter({ hasText: offerTitle }).filter({ hasText: '1 vote' }).waitFor();
  await host.page.getByRole('button', { name: `Adopt for the team: “${offerTitle}”` }).click();
  await roomView.getByTestId('room-view-response').filter({ hasText: offerTitle }).filter({ hasText: 'in the strategy' }).waitFor();
  await grace.page.getByTestId('board-response').filter({ hasText: '1 vote' }).waitFor();
  const used = await ada.page.getByTestId('budget-used').textContent();
  assert.doesNotMatch(used, /Adopted: [A-Z]{3} 0 of/, `the adopted response costs money (${used})`);
  // A custom response the facilitator accepts.
  await tab(grace.page, 'propose');
  await grace.page.getByLabel('What you would do').fill('Dual-source the key part');
  await grace.page.getByLabel('Cost for the year').fill('40000');
  await grace.page.getByLabel('Risk it works on').selectOption({ label: 'Our only supplier fails' });
  await grace.page.getByLabel('Cuts its chance by (%)').fill('50');
  await grace.page.getByRole('button', { name: 'Propose our response' }).click();
  await host.page.getByRole('button', { name: 'Accept the effect of “Dual-source the key part” as proposed' }).click();
  await ada.page.getByTestId('board-response').filter({ hasText: 'Dual-source the key part' }).getByText('effect accepted').waitFor();
  await shotFromTop(ada.page, 'learner-respond');
  // The loss-exceedance chart on the console: losses on a log scale with a
  // labelled grid line per power of ten, up to the appetite of EUR 3M.
  const chart = host.page.locator('figure.lec svg');
  await chart.getByText('Annual loss (log scale)').waitFor();
  for (const tick of ['10k', '100k', '1M']) await chart.getByText(tick, { exact: true }).waitFor();
  // The chart's table alternative: a row per grid line and the appetite.
  await host.page.locator('.chart-table summary').first().click();
  const rows = await host.page.getByTestId('lec-table').first().locator('tbody tr').count();
  assert.ok(rows >= 4, `the curves as a table (${rows} rows)`);
  await host.page.getByTestId('lec-table').first().getByText('(the appetite)').waitFor();
  assert.equal((await host.page.getByTestId('belief-appetite').textContent()).trim(), 'Yes', 'the board is within the appetite');
  await roomView.getByTestId('room-view-appetite').filter({ hasText: 'within the appetite' }).waitFor();
  await shot(roomView, 'room-view-respond');
  await onEveryTab(ada.page, async (id) => {
    assert.deepEqual(await violations(ada.page), [], `learner responding (${id} tab)`);
  });
  assert.deepEqual(await violations(host.page), [], 'console in Respond');
  assert.ok(before.length > 0);

  // Play the year: the facilitator reveals it, every screen in step; no
  // phone has a control to run ahead of the wall.
  await next(host.page, 'Play the year');
  await phaseIs([ada.page, grace.page, roomView], 'Play the year');
  // Going back asks first and says what it undoes.
  await host.page.getByTestId('phase-back').click();
  await host.page.getByRole('alertdialog').filter({ hasText: 'The played year is hidden again on every screen' }).waitFor();
  await host.page.getByRole('button', { name: 'Stay in Play the year' }).click();
  assert.equal(await host.page.getByRole('alertdialog').count(), 0);
  await phaseIs([host.page, ada.page], 'Play the year');
  const progress = (page) => page.getByTestId('year-progress').first();
  const total = Number((await progress(host.page).textContent()).match(/of (\d+) event/)[1]);
  for (const page of [ada.page, roomView]) {
    assert.equal(await page.getByTestId('year-next').count(), 0, 'only the facilitator reveals');
  }
  await progress(ada.page).filter({ hasText: `0 of ${total} event` }).waitFor();
  await roomView.getByTestId('room-view-year').filter({ hasText: `Event 0 of ${total}` }).waitFor();
  if (total >= 2) {
    await host.page.getByTestId('year-next').first().click();
    await host.page.getByTestId('year-next').first().click();
    for (const page of [host.page, ada.page, grace.page]) {
      await progress(page).filter({ hasText: `2 of ${total} event` }).waitFor();
      assert.equal(await page.getByTestId('year-event').count(), 2);
    }
    await roomView.getByTestId('room-view-year').filter({ hasText: `Event 2 of ${total}` }).waitFor();
  }
  // Play the rest through (nothing is left when the year had two events).
  const all = host.page.getByTestId('year-all').first();
  if (await all.isEnabled()) await all.click();
  const years = [];
  await roomView.getByTestId('room-view-year').filter({ hasText: `Event ${total} of ${total}` }).waitFor({ timeout: 60000 });
  for (const page of [host.page, ada.page]) {
    await page.getByTestId('year-total').first().waitFor({ timeout: 60000 });
    // The same numbers; a learner reads "your strategy", the others "the team's".
    years.push((await page.getByTestId('year-total').first().textContent()).match(/[A-Z]{3} [\d,]+/g).join(' '));
  }
  assert.equal(years[0], years[1], 'console and learner show the same year');
  await shot(roomView, 'room-view-year');
  assert.deepEqual(await violations(roomView), [], 'room view of the year');

  // Debrief: scores with how they were reached, ratings, lessons, export.
  await next(host.page, 'Debrief');
  await phaseIs([ada.page, grace.page], 'Debrief');
  // The scores reach the room when the facilitator reveals them.
  await host.page.getByTestId('score-quantitative').waitFor({ timeout: 60000 });
  await ada.page.getByTestId('scores-pending').waitFor({ timeout: 60000 });
  assert.equal(await ada.page.getByTestId('score-quantitative').count(), 0, 'no phone is ahead of the wall');
  await host.page.getByTestId('reveal-scores').click();
  await roomView.getByText('Strategy score').waitFor({ timeout: 60000 });
  await shot(roomView, 'room-view-debrief');
  for (const page of [host.page, ada.page]) {
    await page.getByTestId('score-quantitative').waitFor({ timeout: 60000 });
  }
  const quantHost = (await host.page.getByTestId('score-quantitative').textContent()).trim();
  const quantAda = (await ada.page.getByTestId('score-quantitative').textContent()).trim();
  assert.equal(quantHost, quantAda, 'the same team score on the console and a phone');
  // A rubric not rated yet is no score at all, not a 0; the combined score
  // says it left it out.
  const rubricCard = ada.page.getByTestId('score-rubric');
  await rubricCard.getByText('not given yet').waitFor();
  assert.doesNotMatch(await rubricCard.textContent(), /out of 100/);
  // The learner's own row, heading "Your scores"; how the combined score
  // was reached is a tap away.
  await ada.page.getByRole('heading', { name: 'Your scores' }).waitFor();
  const rowHeads = ada.page.getByTestId('member-scores').locator('tbody th');
  assert.equal(await rowHeads.count(), 1, 'only her own row');
  assert.equal((await rowHeads.locator('> :not(.badge)').allTextContents()).join('').trim(), '(you)');
  assert.match(await rowHeads.textContent(), /^Ada \(you\)/);
  await rowHeads.locator('.badge.role-model').waitFor();
  await ada.page.getByTestId('member-scores').locator('td[data-label="Combined"]').getByText('How this was scored').click();
  await ada.page.getByTestId('member-scores').getByText(/left out for everyone: .*rubric/).first().waitFor();
  const dimension = host.page.getByTestId('rubric-dimension').first();
  await dimension.getByRole('button', { name: /^Level 3/ }).click();
  await rubricCard.getByText('out of 100').waitFor();
  assert.equal((await rubricCard.locator('.score-number').textContent()).trim(), '67', 'level 3 of 4');
  // A score's explanation is a tap away too.
  await rubricCard.getByText('About this score').click();
  await rubricCard.getByText("The facilitator's rating of how the team worked.").waitFor();
  await shotFromTop(ada.page, 'learner-debrief');
  await tab(ada.page, 'truth');
  await ada.page.getByTestId('belief-vs-truth').getByText(/“Our only supplier fails” .*: the team put the chance/).waitFor();
  await tab(ada.page, 'notes');
  await ada.page.getByLabel('A lesson the team learned').fill('Share the private facts early');
  await ada.page.getByRole('button', { name: 'Add lesson' }).click();
  await host.page.getByText('Share the private facts early').waitFor();
  await shot(host.page, 'console-debrief');
  await onEveryTab(ada.page, async (id) => {
    assert.deepEqual(await sideways(ada.page), [], `the debrief fits a phone without scrolling sideways (${id} tab)`);
    assert.deepEqual(await violations(ada.page), [], `learner debrief (${id} tab)`);
  });
  assert.deepEqual(await violations(host.page), [], 'console debrief');

  const download = host.page.waitForEvent('download');
  await host.page.getByTestId('export-csv').click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  assert.match(csv, /Ada/);
  assert.match(csv, /Grace/);

  // A learner's JSON export holds their own scores, not a teammate's private ones.
  const json = ada.page.waitForEvent('download');
  await ada.page.getByTestId('export-json').click();
  const report = JSON.parse(readFileSync(await (await json).path(), 'utf8'));
  const byName = Object.fromEntries(report.team.members.map((m) => [m.name, m.id]));
  const scores = (name) => report.debrief.members.find((m) => m.participant === byName[name]);
  assert.equal(typeof scores('Ada').combined.shown.score, 'number', 'her own combined score');
  assert.equal(scores('Grace').combined.shown, undefined, 'not a teammate\'s');
  assert.match(scores('Grace').combined.private, /peer ratings/);
  assert.match(scores('Grace').peer.private, /between the person and the facilitator/);

  for (const d of [host, ada, grace]) {
    assert.deepEqual(d.errors, []);
  }
  for (const d of [host, ada, grace]) await d.context.close();
});
