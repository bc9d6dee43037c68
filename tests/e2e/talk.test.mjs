// Estimate, talk, estimate: after the first reveal the console, the room
// view and the phones name the pair furthest apart on each risk; the
// facilitator starts the second round; each phone starts from its first
// estimate; after the second reveal the debrief shows what the talk
// changed (before and after, against the truth), and the console the role
// model's pull.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, shot, fits, createRoom, joinAs, tab, violations } from './harness.mjs';

const env = serverAndBrowser({ before, after });

/** On a phone's stepper: a chance in percent and a range, then save. */
async function estimate(page, percent, low, high) {
  await page.getByTestId('likelihood').fill(String(percent));
  await page.getByTestId('amount-low').fill(String(low));
  await page.getByTestId('amount-high').fill(String(high));
  await page.getByTestId('save-estimate').click();
  await page.getByTestId('estimates-done').waitFor();
}

test('the pair furthest apart is named, the second round moves closer to the truth, and the debrief shows it', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  const code = await createRoom(host.page, env.server.url, { title: 'Talk it through', scenario: 'Supplier' });
  const walls = [];
  for (const [width, height] of [[1920, 1080], [1280, 720]]) {
    const w = await device(env.browser, { width, height });
    await w.page.goto(await host.page.getByTestId('room-view-link').getAttribute('href'));
    await w.page.getByTestId('room-view-code').waitFor();
    walls.push({ ...w, size: height });
  }
  const phones = {};
  for (const [name, width, height] of [['Ada', 390, 844], ['Ben', 360, 740], ['Cy', 390, 844]]) {
    const d = await device(env.browser, { width, height });
    await joinAs(d.page, `${env.server.url}join/${code}`, name);
    phones[name] = d;
  }
  await host.page.getByRole('button', { name: 'Mark Ada as role model' }).click();
  await host.page.getByTestId('team-role-model').filter({ hasText: 'Ada' }).waitFor();
  const start = async (phase) => {
    await host.page.getByRole('button', { name: `Start ${phase}` }).click();
    for (const p of Object.values(phones)) await p.page.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
  };
  await start('Briefing');
  await start('Identify');
  // Ada raises a risk from her brief: it stands for one of the scenario's.
  const ada = phones.Ada.page;
  await ada.getByLabel('A risk you see').fill('Our supplier may go under');
  await ada.getByLabel('Based on').selectOption({ index: 1 });
  await ada.getByRole('button', { name: 'Put it on the board' }).click();
  await ada.getByTestId('my-card').filter({ hasText: 'Our supplier may go under' }).waitFor();
  await start('Assess');

  // The role model thinks aloud as she estimates; only she is prompted.
  await ada.getByTestId('think-aloud').waitFor();
  assert.equal(await phones.Ben.page.getByTestId('think-aloud').count(), 0);
  await ada.getByLabel('Your thinking').fill('First because the supplier changed its terms twice.');
  await ada.getByTestId('think-aloud-share').click();
  await host.page.getByTestId('role-model-thinking').filter({ hasText: 'changed its terms twice' }).waitFor();

  // First round: far apart, and ranges of a couple of euros hold no truth.
  await estimate(ada, 1, 1, 2);
  await estimate(phones.Ben.page, 80, 1, 2);
  await estimate(phones.Cy.page, 5, 1, 2);
  await host.page.getByTestId('reveal').click();
  // The spread first; then the facilitator opens the talk.
  for (const w of walls) await w.page.getByTestId('room-view-spread').first().waitFor();
  await host.page.getByTestId('start-discussion').click();

  // The talk: Ada and Ben are furthest apart, on every screen.
  const far = host.page.getByTestId('far-apart');
  await far.waitFor();
  assert.match(await far.textContent(), /^Our supplier may go under: ask Ada \(.+\) and Ben \(.+\) to explain\.$/);
  for (const p of Object.values(phones)) {
    await tab(p.page, 'now');
    await p.page.getByTestId('far-apart').filter({ hasText: 'ask Ada' }).waitFor();
  }
  // Her teammates read her thinking beside the talk.
  await phones.Ben.page.getByTestId('role-model-thinking').filter({ hasText: 'How Ada, the role model, thinks' }).waitFor();
  assert.match(await phones.Ben.page.getByTestId('role-model-thinking').textContent(), /Our supplier may go under: First because the supplier changed its terms twice\./);
  for (const w of walls) {
    await w.page.getByTestId('room-view-far-apart').filter({ hasText: 'Ada ↔ Ben' }).waitFor();
    await fits(w.page, `the talk at ${w.size}`);
    await shot(w.page, `talk-room-view-${w.size}`);
  }
  await shot(phones.Ben.page, 'talk-phone-360');
  for (const [who, page] of [['console', host.page], ['Ben', phones.Ben.page], ['the wall', walls[1].page]]) {
    assert.deepEqual(await violations(page), [], `axe on ${who} during the talk`);
  }

  // The second round starts from each one's first estimate.
  await host.page.getByTestId('start-second-round').click();
  for (const p of Object.values(phones)) await p.page.getByTestId('second-round').waitFor();
  assert.equal(await phones.Ben.page.getByTestId('likelihood').inputValue(), '80');
  for (const w of walls) await w.page.getByTestId('room-view-estimated').waitFor();
  // After the talk: ranges wide enough to hold the truth; Ben moves toward
  // Ada's chance, Cy away from it.
  await estimate(ada, 20, 1000, 900000000);
  await estimate(phones.Ben.page, 20, 1000, 900000000);
  await estimate(phones.Cy.page, 10, 1000, 900000000);
  await host.page.getByTestId('reveal').click();
  await host.page.getByTestId('second-round-note').filter({ hasText: 'Both rounds are kept' }).waitFor();

  for (const phase of ['Respond', 'Play the year', 'Debrief']) await start(phase);
  await host.page.getByTestId('reveal-scores').click();
  // The debrief: before and after, against the truth.
  const sentence = host.page.getByTestId('talk-sentence');
  await sentence.waitFor({ timeout: 60000 });
  assert.match(await sentence.textContent(), /^After talking, the team's ranges held the truth 3 times in 3, up from 0[;.]/);
  assert.match(await host.page.getByTestId('talk-after').textContent(), /3 of 3 ranges held/);
  assert.match(await host.page.getByTestId('talk-before').textContent(), /0 of 3 ranges held/);
  assert.match(
    await host.page.getByTestId('talk-influence').textContent(),
    /Of 2 teammates' estimates that changed, 1 moved toward the role model's; [01] of those came closer to the truth\.$/,
  );
  // Her estimates are scored like everyone's, beside the playbook.
  assert.match(await host.page.getByTestId('role-model-calibration').textContent(), /^Ada's one range held the truth/);
  await shot(host.page, 'talk-debrief-console-720');
  for (const p of Object.values(phones)) {
    const line = p.page.getByTestId('talk-sentence');
    await line.waitFor({ timeout: 60000 });
    assert.match(await line.textContent(), /^After talking, the team's ranges held the truth 3 times in 3, up from 0/);
    assert.equal(await p.page.getByTestId('talk-influence').count(), 0, 'the pull is the facilitator\'s');
  }
  await shot(phones.Ben.page, 'talk-debrief-phone-360');
  assert.deepEqual(await violations(host.page), [], 'axe on the console\'s debrief');
  assert.deepEqual(await violations(phones.Ben.page), [], 'axe on a phone\'s debrief');
  for (const d of [host, ...walls, ...Object.values(phones)]) {
    assert.deepEqual(d.errors, [], 'no errors on any screen');
    await d.context.close();
  }
});
