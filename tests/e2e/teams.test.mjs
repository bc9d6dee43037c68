// Three teams of three in one room, each with its own role model: the
// facilitator marks one a team (the set-up suggests who plays the seasoned
// role and warns while a team has none), and everyone sees who their team's
// role model is — in the people list, on their cards, on the responses they
// propose, on the room view and in the debrief.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser, device, shot, fits, createRoom, joinAs } from './harness.mjs';

const env = serverAndBrowser({ before, after });

async function tab(page, id) {
  await page.getByTestId(`tab-${id}`).click();
  await page.getByTestId(`tab-${id}`).and(page.locator('[aria-selected="true"]')).waitFor();
}

test('three teams, a role model each, seen by everyone as the one to learn from', async () => {
  const host = await device(env.browser, { width: 1920, height: 1080 });
  const code = await createRoom(host.page, env.server.url, { title: 'Three teams', scenario: 'Supplier' });
  for (const name of ['Team 2', 'Team 3']) {
    await host.page.getByLabel('Another team, playing the same scenario').fill(name);
    await host.page.getByRole('button', { name: 'Add team' }).click();
    await host.page.getByRole('heading', { name }).waitFor();
  }
  const walls = [];
  for (const [width, height] of [[1920, 1080], [1280, 720]]) {
    const w = await device(env.browser, { width, height });
    await w.page.goto(await host.page.getByTestId('room-view-link').getAttribute('href'));
    await w.page.getByTestId('room-view-code').waitFor();
    walls.push({ ...w, size: height });
  }
  const wall = walls[1];
  const looks = async (phase) => {
    for (const w of walls) {
      await fits(w.page, `three teams in ${phase} at ${w.size}`);
      await shot(w.page, `teams-${phase}-room-view-${w.size}`);
    }
  };

  const names = ['Ada', 'Ben', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal', 'Ivy'];
  const phones = [];
  for (const name of names) {
    const d = await device(env.browser, { width: 390, height: 844 });
    await joinAs(d.page, `${env.server.url}join/${code}`, name);
    phones.push({ ...d, name });
  }
  // Joiners are spread over the three teams.
  for (const p of phones) p.team = (await p.page.getByText(/^Team: /).textContent()).replace('Team: ', '').trim();

  // Every team starts without a role model, and the set-up says so.
  const warnings = host.page.getByTestId('role-model-warning');
  await warnings.nth(2).waitFor();
  assert.equal(await warnings.count(), 3);
  // Mark the one the set-up suggests, or the first member where nobody
  // plays the seasoned role.
  const models = {};
  for (const team of ['Team 1', 'Team 2', 'Team 3']) {
    const warning = (await warnings.filter({ hasText: `${team} has no role model yet` }).textContent()).trim();
    const suggested = warning.match(/: (\w+) plays the seasoned/)?.[1];
    const panel = host.page.locator('.team-block').filter({ has: host.page.getByRole('heading', { name: new RegExp(`^${team} ·`) }) });
    const name = suggested ?? (await panel.locator('tbody th').first().textContent()).trim().split(/\s/)[0];
    await host.page.getByRole('button', { name: `Mark ${name} as role model` }).click();
    await host.page.getByTestId('team-role-model').filter({ hasText: `${team}'s role model: ${name}` }).waitFor();
    models[team] = name;
  }
  // Marking in one team did not unmark another's.
  assert.equal(await host.page.getByTestId('team-role-model').count(), 3);
  assert.equal(await host.page.getByTestId('role-model-warning').filter({ hasText: 'has no role model' }).count(), 0);
  await shot(host.page, 'teams-console-set-up');

  // The console switches between the teams back and forth; every panel
  // shows the team chosen, and only it.
  const teamButton = (name) => host.page.getByRole('group', { name: 'Team to show' }).getByRole('button', { name, exact: true });
  const switchAround = async (phase) => {
    for (const team of ['Team 2', 'Team 3', 'Team 1', 'Team 3', 'Team 1']) {
      await teamButton(team).click();
      const headings = host.page.getByTestId('team-view').getByRole('heading', { level: 2 });
      await headings.filter({ hasText: team }).first().waitFor();
      for (const other of ['Team 1', 'Team 2', 'Team 3'].filter((t) => t !== team)) {
        assert.equal(await headings.filter({ hasText: other }).count(), 0, `${phase}: ${other} on ${team}'s panels`);
      }
    }
  };
  const start = async (phase) => {
    await host.page.getByRole('button', { name: `Start ${phase}` }).click();
    for (const p of phones) await p.page.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
    if (phase !== 'Briefing') await switchAround(phase);
  };
  const modelPhones = phones.filter((p) => models[p.team] === p.name);
  const others = phones.filter((p) => models[p.team] !== p.name);

  // The people list marks all three.
  await tab(others[0].page, 'team');
  await others[0].page.getByTestId('role-model-badge').nth(2).waitFor();
  assert.equal(await others[0].page.getByTestId('role-model-badge').count(), 3);

  await start('Briefing');
  for (const p of modelPhones) await p.page.getByText("You are the group's role model").waitFor();
  for (const p of others) assert.equal(await p.page.getByText("You are the group's role model").count(), 0);

  await start('Identify');
  for (const p of modelPhones) {
    await p.page.getByLabel('A risk you see').fill(`${p.name}'s first worry`);
    await p.page.getByRole('button', { name: 'Put it on the board' }).click();
    await p.page.getByTestId('my-card').filter({ hasText: `${p.name}'s first worry` }).waitFor();
  }
  for (const p of others) {
    await p.page.getByLabel('A risk you see').fill(`${p.name}'s worry`);
    await p.page.getByRole('button', { name: 'Put it on the board' }).click();
    await p.page.getByTestId('my-card').filter({ hasText: `${p.name}'s worry` }).waitFor();
  }
  // A teammate sees the role model's card marked; their own is not.
  for (const p of others) {
    await tab(p.page, 'board');
    const marked = p.page.getByTestId('risk-card').filter({ has: p.page.locator('.badge.role-model') });
    await marked.first().waitFor();
    assert.equal(await marked.count(), 1, `${p.name} sees one card of their team's role model`);
    assert.match(await marked.textContent(), /first worry/);
  }
  // A card linked in Team 1 stays linked after switching teams back and forth.
  await teamButton('Team 1').click();
  const card = host.page.getByTestId('risk-card').first();
  const title = (await card.locator('h3').textContent()).trim();
  const link = host.page.getByLabel(`Scenario risk that “${title}” stands for`);
  await link.selectOption({ index: 1 });
  const linked = await link.inputValue();
  assert.notEqual(linked, '');
  await switchAround('Identify, linked');
  assert.equal(await link.inputValue(), linked, 'the link shows after switching teams');
  await host.page.reload();
  await teamButton('Team 1').click();
  assert.equal(await link.inputValue(), linked, 'and after a reload');

  // The room view marks the role models' cards with ★ and says what it means.
  await wall.page.getByTestId('room-view-role-model').nth(2).waitFor();
  assert.equal(await wall.page.getByTestId('room-view-role-model').count(), 3);
  // The legend names each team's role model.
  const legend = wall.page.getByTestId('room-view-legend');
  await legend.waitFor();
  for (const team of ['Team 1', 'Team 2', 'Team 3']) {
    assert.ok((await legend.textContent()).includes(`${models[team]} (${team})`), `${team}'s role model in the legend`);
  }
  assert.match(await legend.textContent(), /^★ role models: /);
  for (const w of walls) await w.page.getByTestId('room-view-role-model').nth(2).waitFor();
  await looks('identify');
  // The role model confirms what goes into each team's strategy.
  await host.page.locator('summary', { hasText: 'Teams and roles' }).click();
  await host.page.getByLabel('Responses are adopted by').selectOption({ label: "the team's role model" });

  await start('Assess');
  // Each role model estimates the first risk; the console reveals each
  // team's estimates; teammates and the room view see the role model's
  // estimate marked beside the team's spread.
  for (const p of modelPhones) {
    await p.page.getByTestId('estimate-stepper').waitFor();
    const left = await p.page.getByTestId('estimates-left').textContent();
    await p.page.getByRole('button', { name: '1 in 4 years' }).click();
    await p.page.getByTestId('slider-low').fill('4');
    await p.page.getByTestId('slider-high').fill('6');
    await p.page.getByTestId('save-estimate').click();
    await p.page.getByTestId('estimates-left').filter({ hasNotText: left }).waitFor();
  }
  for (const team of ['Team 1', 'Team 2', 'Team 3']) {
    await teamButton(team).click();
    await host.page.getByTestId('team-view').getByTestId('reveal').click();
    await host.page.getByTestId('team-view').getByTestId('reveal').waitFor({ state: 'detached' });
  }
  for (const p of others) {
    await tab(p.page, 'now');
    await p.page.getByTestId('step-spread').waitFor();
    await p.page.getByTestId('role-model-estimate').first().waitFor();
  }
  for (const w of walls) {
    await w.page.getByTestId('room-view-model-estimate').nth(2).waitFor();
    assert.equal(await w.page.getByTestId('room-view-model-estimate').count(), 3, 'one role model estimate a team');
    assert.match(await w.page.getByTestId('room-view-model-estimate').first().textContent(), /25%/);
  }
  await looks('assess');
  await shot(others[0].page, 'teams-assess-phone');

  await start('Respond');
  for (const p of modelPhones) {
    await tab(p.page, 'propose');
    await p.page.getByTestId('catalogue-response').first().getByRole('button', { name: /^Propose/ }).click();
    await p.page.getByTestId('catalogue-response').getByText('On the board').first().waitFor();
  }
  for (const p of others) {
    await p.page.getByTestId('proposed-by-role-model').waitFor();
  }
  for (const p of modelPhones) {
    await tab(p.page, 'now');
    await p.page.getByRole('button', { name: /^Adopt “/ }).first().click();
    await p.page.getByTestId('board-response').filter({ hasText: 'In the strategy' }).first().waitFor();
  }
  await wall.page.getByTestId('room-view-role-model').nth(2).waitFor();
  for (const w of walls) await w.page.getByTestId('room-view-role-model').nth(2).waitFor();
  await looks('respond');
  await shot(others[0].page, 'teams-respond-phone');

  await start('Play the year');
  // The year, revealed from the console: each phone's year ends with what
  // each response saved, the role model's marked.
  await host.page.getByTestId('year-all').first().click();
  for (const p of phones) {
    const total = p.page.getByTestId('year-total');
    await total.waitFor({ timeout: 120000 });
    await total.getByTestId('proposed-by-role-model').waitFor();
  }
  await wall.page.getByTestId('room-view-legend').waitFor();
  await looks('year');
  await shot(others[0].page, 'teams-year-phone');
  await start('Debrief');
  await host.page.getByTestId('reveal-scores').click();
  for (const w of walls) await w.page.getByText('Strategy score').first().waitFor({ timeout: 60000 });
  // The room view names each team's role model beside its numbers.
  for (const w of walls) {
    const cells = await w.page.getByTestId('room-view-team-role-model').allTextContents();
    assert.deepEqual(cells.sort(), Object.values(models).sort());
  }
  await looks('debrief');
  for (const p of phones) {
    await tab(p.page, 'strategy');
    const line = p.page.getByTestId('debrief-role-model');
    await line.waitFor({ timeout: 60000 });
    assert.match(await line.textContent(), new RegExp(`^The team's role model: ${models[p.team]}\\b`), `${p.name} in ${p.team}`);
  }
  await shot(others[0].page, 'teams-debrief-phone');
  // The console takes every team's report away in one file, each row
  // naming its team.
  const download = host.page.waitForEvent('download');
  await host.page.getByTestId('export-all-teams').click();
  const file = await download;
  assert.equal(file.suggestedFilename(), `riskroom-${code}-all-teams.csv`);
  const rows = readFileSync(await file.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter((r) => r !== '' && !/^,+$/.test(r));
  for (const team of ['Team 1', 'Team 2', 'Team 3']) {
    assert.equal(rows.filter((r) => r.startsWith(`${team},Quantitative,`)).length, 1, `${team}'s team score`);
    assert.equal(rows.filter((r) => r.startsWith(`${team},`)).length, 3 + 3, `${team}'s members and scores`);
  }
  assert.ok(rows.every((r) => /^(Team \d|Team,)/.test(r)), 'every row names its team');

  for (const d of [host, ...walls, ...phones]) {
    assert.deepEqual(d.errors, [], 'no errors on any screen');
    await d.context.close();
  }
});

test('learners who pick their roles see which are taken; the facilitator fixes roles until the estimates begin', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  const code = await createRoom(host.page, env.server.url, { title: 'Picking roles', scenario: 'Supplier' });
  await host.page.getByLabel('How learners get roles').selectOption('self_select');
  const ann = await device(env.browser, { width: 390, height: 844 });
  const bob = await device(env.browser, { width: 360, height: 740 });
  await joinAs(ann.page, `${env.server.url}join/${code}`, 'Ann');
  await joinAs(bob.page, `${env.server.url}join/${code}`, 'Bob');
  const first = ann.page.getByRole('button', { name: /^Play / }).first();
  const role = (await first.textContent()).replace('Play ', '').trim();
  await first.click();
  await first.and(ann.page.locator('[aria-pressed="true"]')).waitFor();
  // Taken for Bob, with who holds it.
  const taken = bob.page.getByRole('button', { name: `Play ${role}` });
  await bob.page.getByTestId('role-taken').filter({ hasText: 'Taken by Ann' }).waitFor();
  assert.ok(await taken.isDisabled(), 'a taken role cannot be picked');
  await shot(bob.page, 'teams-role-taken-360');
  // Shared roles: Bob may pick it too.
  await host.page.getByTestId('roles-shared').check();
  await bob.page.getByText('Also played by Ann').waitFor();
  await taken.click();
  await taken.and(bob.page.locator('[aria-pressed="true"]')).waitFor();

  // In Identify the facilitator still fixes who plays what.
  for (const phase of ['Briefing', 'Identify']) {
    await host.page.getByRole('button', { name: `Start ${phase}` }).click();
    await bob.page.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
  }
  await host.page.locator('summary', { hasText: 'Teams and roles' }).click();
  const select = host.page.getByLabel('Role of Bob');
  const now = await select.inputValue();
  const choices = await select.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent.replace(' (seasoned)', '').trim()]));
  const [value, label] = choices.find(([v]) => v !== '' && v !== now);
  await select.selectOption(value);
  await bob.page.getByTestId('tab-brief').click();
  await bob.page.getByTestId('my-role').filter({ hasText: label }).waitFor();

  for (const d of [host, ann, bob]) {
    assert.deepEqual(d.errors, [], 'no errors');
    await d.context.close();
  }
});
