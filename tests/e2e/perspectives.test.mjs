// Every perspective on the board: the console follows, role by role, which
// facts of the briefs reached the team's board, nudges the phones of a role
// whose facts are missing (only theirs), and puts the counts up on the room
// view (never the facts); the debrief reads, role by role, what was brought
// and what stayed unsaid, and what the risks nobody raised cost.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, shot, fits, createRoom, joinAs, tab, violations } from './harness.mjs';

const env = serverAndBrowser({ before, after });

test('the console sees whose facts are missing, nudges them, and the debrief says what stayed unsaid', async () => {
  const host = await device(env.browser, { width: 1920, height: 1080 });
  const code = await createRoom(host.page, env.server.url, { title: 'Perspectives', scenario: 'Supplier' });
  const walls = [];
  for (const [width, height] of [[1920, 1080], [1280, 720]]) {
    const w = await device(env.browser, { width, height });
    await w.page.goto(await host.page.getByTestId('room-view-link').getAttribute('href'));
    await w.page.getByTestId('room-view-code').waitFor();
    walls.push({ ...w, size: height });
  }
  const phones = [];
  for (const [name, width, height] of [['Ada', 390, 844], ['Ben', 360, 740]]) {
    const d = await device(env.browser, { width, height });
    await joinAs(d.page, `${env.server.url}join/${code}`, name);
    phones.push({ ...d, name });
  }
  const start = async (phase) => {
    await host.page.getByRole('button', { name: `Start ${phase}` }).click();
    for (const p of phones) await p.page.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
  };
  await start('Briefing');
  await start('Identify');

  // Each role that holds facts is listed; Ben's role holds some nobody raised.
  const panel = host.page.getByTestId('perspectives');
  await panel.waitFor();
  const bens = panel.getByTestId('perspective').filter({ has: host.page.getByTestId('unheard').filter({ hasText: '(Ben)' }) });
  await bens.waitFor();
  const unheard = (await bens.getByTestId('unheard').textContent()).trim();
  assert.match(unheard, /^[\w &,'-]+ \(Ben\) holds \d+ facts? nobody has raised/);
  await shot(host.page, 'perspectives-console-1080');

  // The nudge reaches Ben's phone, not Ada's.
  await bens.getByTestId('nudge-role').click();
  await host.page.getByTestId('nudge-sent').waitFor();
  const [ada, ben] = phones;
  await ben.page.getByTestId('nudge-alert').filter({ hasText: 'The facilitator asks you to bring in what your brief tells you' }).waitFor();
  assert.equal(await ada.page.getByTestId('nudge-alert').count(), 0, 'Ada was not nudged');
  await shot(ben.page, 'perspectives-nudge-360');
  assert.deepEqual(await violations(host.page), [], 'axe on the console\'s perspectives');
  assert.deepEqual(await violations(ben.page), [], 'axe on the nudged phone');

  // Ben raises every fact of his brief: the nudge goes, the console says so.
  await tab(ben.page, 'now');
  const clues = await ben.page.getByLabel('Based on').locator('option').count();
  assert.ok(clues > 1, 'Ben has facts to bring');
  for (let i = 1; i < clues; i++) {
    await ben.page.getByLabel('A risk you see').fill(`Ben's fact ${i}`);
    await ben.page.getByLabel('Based on').selectOption({ index: i });
    await ben.page.getByRole('button', { name: 'Put it on the board' }).click();
    await ben.page.getByTestId('my-card').filter({ hasText: `Ben's fact ${i}` }).waitFor();
  }
  await ben.page.getByTestId('nudge-alert').waitFor({ state: 'detached' });
  await host.page.getByTestId('unheard').filter({ hasText: '(Ben)' }).waitFor({ state: 'detached' });
  // The balance of voices: Ada has said nothing yet, and the console says so.
  await host.page.getByTestId('quiet-role').filter({ hasText: '(Ada) has added 0 things in Identify' }).waitFor();
  const bensVoice = host.page.getByTestId('voice').filter({ hasText: 'Ben' });
  assert.equal((await bensVoice.locator('td.num').first().textContent()).trim(), String(clues - 1));

  // The room view shows the counts, never the facts.
  const facts = await panel.locator('.fact-text').allTextContents();
  await host.page.getByTestId('show-coverage').click();
  for (const w of walls) {
    const screen = w.page.getByTestId('room-view-coverage');
    await screen.waitFor();
    const rows = await w.page.getByTestId('room-view-role-coverage').allTextContents();
    assert.ok(rows.length >= 2, 'a row for each role with facts');
    assert.ok(rows.some((r) => /✓ all \d+/.test(r)), `Ben's role shows all its facts on the board: ${rows}`);
    const text = await w.page.locator('body').innerText();
    assert.ok(facts.length > 4);
    for (const fact of facts) assert.ok(!text.includes(fact.trim()), `a fact on the wall: ${fact}`);
    await fits(w.page, `the perspectives at ${w.size}`);
    await shot(w.page, `perspectives-room-view-${w.size}`);
  }
  await host.page.getByTestId('show-coverage').click();
  for (const w of walls) await w.page.getByTestId('room-view-coverage').waitFor({ state: 'detached' });

  for (const phase of ['Assess', 'Respond', 'Play the year', 'Debrief']) await start(phase);
  // The debrief: role by role what was brought and what stayed unsaid, and
  // what the risks nobody raised cost.
  for (const p of phones) {
    await tab(p.page, 'truth');
    const part = p.page.getByTestId('debrief-perspectives');
    await part.waitFor({ timeout: 60000 });
    assert.match(await part.getByTestId('unraised-loss').textContent(), /^(Risks nobody raised struck (once|twice|\d+ times) in the played year and left [A-Z]{3} [\d,]+ to bear\.|Every risk that struck in the played year was on the board\.)$/);
    const roles = part.getByTestId('debrief-perspective');
    assert.ok((await roles.count()) >= 2);
    const bensRole = roles.filter({ hasText: '(played by Ben)' });
    await bensRole.getByText('Nothing of its brief stayed unsaid.').waitFor();
    assert.match(await bensRole.textContent(), /Brought to the board: /);
  }
  await shot(ada.page, 'perspectives-debrief-390');
  assert.deepEqual(await violations(ada.page), [], 'axe on the debrief\'s perspectives');
  for (const d of [host, ...walls, ...phones]) {
    assert.deepEqual(d.errors, [], 'no errors on any screen');
    await d.context.close();
  }
});
