// A training day, once per built-in scenario: the facilitator's console at
// 1920×1080, the room view opened from its own link on two projectors
// (1920×1080 and 1280×720, each its own browser context), five learners on
// phones at 390×844 and 360×740, one of them the role model. Every phase to the
// debrief: each shared moment reaches every screen, nothing private reaches
// the room view, and the room view fits its screen throughout.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, shot, shotFromTop, fits, violations, sideways, createRoom, joinAs, shotOf, tab, onEveryTab } from './harness.mjs';

const env = serverAndBrowser({ before, after });

const SCENARIOS = [
  ['supplier', 'Supplier'],
  ['ransomware', 'ransomware'],
  ['recall', 'recall'],
];
const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'];

/** Steps a learner's estimates, one risk at a time, on to the risk `title`. */
async function stepTo(page, title) {
  const heading = page.getByTestId('step-title');
  for (let i = 0; i < NAMES.length; i += 1) {
    const shown = (await heading.textContent()).trim();
    if (shown === title) return;
    await page.getByRole('button', { name: 'Skip' }).click();
    await heading.filter({ hasNotText: shown }).waitFor();
  }
  assert.fail(`${title} is not among the risks to estimate`);
}

for (const [slug, offer] of SCENARIOS) {
  test(`a training day with five phones and two projectors: ${slug}`, async () => {
    const host = await device(env.browser, { width: 1920, height: 1080 });
    const code = await createRoom(host.page, env.server.url, { title: `Training day: ${slug}`, scenario: offer });

    const link = await host.page.getByTestId('room-view-link').getAttribute('href');
    const walls = [];
    for (const [width, height] of [[1920, 1080], [1280, 720]]) {
      const d = await device(env.browser, { width, height });
      await d.page.goto(link);
      await d.page.getByTestId('room-view-code').filter({ hasText: code }).waitFor();
      walls.push({ ...d, size: height });
    }
    const phones = [];
    // The last phone is a small one.
    for (const [i, name] of NAMES.entries()) {
      const small = i === NAMES.length - 1;
      const d = await device(env.browser, small ? { width: 360, height: 740 } : { width: 390, height: 844 });
      await joinAs(d.page, `${env.server.url}join/${code}`, name);
      phones.push({ ...d, name });
    }
    await host.page.getByRole('button', { name: 'Mark Ada as role model' }).click();
    const everyone = [host.page, ...walls.map((w) => w.page), ...phones.map((p) => p.page)];
    const secrets = [];

    const look = async (phase) => {
      for (const w of walls) {
        await fits(w.page, `${slug}, ${phase} at ${w.size}`);
        const text = await w.page.locator('body').innerText();
        for (const secret of secrets) assert.ok(!text.includes(secret), `${phase}: a private brief on the room view`);
        await shot(w.page, `training-${slug}-${phase}-room-view-${w.size}`);
      }
      for (const p of phones) assert.deepEqual(await sideways(p.page), [], `${phase}: ${p.name}'s phone scrolls sideways`);
      await shotFromTop(phones[0].page, `training-${slug}-${phase}-phone`);
      await shotFromTop(phones.at(-1).page, `training-${slug}-${phase}-phone-360`);
      // The rest of each phone's page is on its other tabs.
      for (const p of phones) {
        await onEveryTab(p.page, async (id) => {
          assert.deepEqual(await sideways(p.page), [], `${phase}: ${p.name}'s phone scrolls sideways on the ${id} tab`);
        });
      }
    };
    const start = async (phase) => {
      await host.page.getByRole('button', { name: `Start ${phase}` }).click();
      for (const page of everyone) await page.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
    };

    await look('lobby');
    await start('Briefing');
    for (const p of phones) secrets.push((await p.page.getByTestId('private-brief').textContent()).trim().slice(0, 60));
    await phones[0].page.getByText("You are the group's role model").waitFor();
    await look('briefing');

    await start('Identify');
    for (const p of phones) {
      await p.page.getByLabel('A risk you see').fill(`${p.name}'s worry`);
      await p.page.getByRole('button', { name: 'Put it on the board' }).click();
    }
    for (const page of [host.page, ...walls.map((w) => w.page)]) {
      await page.getByTestId('card-count').filter({ hasText: /^5$/ }).waitFor();
    }
    await look('identify');

    await start('Assess');
    for (const p of phones.slice(0, 2)) {
      await p.page.getByTestId('estimates-left').filter({ hasText: '5 left to estimate' }).waitFor();
      await stepTo(p.page, "Ada's worry");
      await p.page.getByLabel('Chance in a year (%)').fill(p.name === 'Ada' ? '30' : '10');
      await p.page.getByLabel('Low end', { exact: true }).fill('50000');
      await p.page.getByLabel('High end', { exact: true }).fill('900000');
      await p.page.getByRole('button', { name: 'Save and next' }).click();
      await p.page.getByTestId('estimates-left').filter({ hasText: '4 left to estimate' }).waitFor();
    }
    for (const w of walls) await w.page.getByTestId('room-view-estimated').filter({ hasText: 'of 5 have estimated' }).waitFor();
    await look('assess');
    await host.page.getByTestId('reveal').click();
    for (const w of walls) await w.page.getByTestId('room-view-spread').filter({ hasText: '10–30%' }).waitFor();
    for (const p of phones) {
      await p.page.getByTestId('step-spread').waitFor();
      await p.page.getByText("Every risk's spread on the map").click();
      await p.page.getByTestId('heat-map').first().waitFor();
    }
    await shotOf(phones.at(-1).page.locator('figure.heat-map').first(), `training-${slug}-heat-map-360`);
    await look('assess-revealed');

    await start('Respond');
    await tab(phones[0].page, 'propose');
    const proposal = phones[0].page.getByTestId('catalogue-response').first();
    const title = (await proposal.locator('h4').textContent()).trim();
    await proposal.getByRole('button', { name: /^Propose/ }).click();
    await proposal.getByText('On the board').waitFor();
    await tab(phones[0].page, 'now');
    await host.page.getByRole('button', { name: `Adopt for the team: “${title}”` }).click();
    for (const w of walls) await w.page.getByTestId('room-view-response').filter({ hasText: 'in the strategy' }).waitFor();
    for (const p of phones) await p.page.getByTestId('board-response').filter({ hasText: 'In the strategy' }).waitFor();
    await look('respond');

    await start('Play the year');
    const total = Number((await host.page.getByTestId('year-progress').first().textContent()).match(/of (\d+) event/)[1]);
    if (total > 0) {
      await host.page.getByTestId('year-next').first().click();
      for (const w of walls) await w.page.getByTestId('room-view-year').filter({ hasText: `Event 1 of ${total}` }).waitFor();
      for (const p of phones) await p.page.getByTestId('year-progress').first().filter({ hasText: `1 of ${total} event` }).waitFor();
    }
    await look('year');

    await start('Debrief');
    await phones[1].page.getByTestId('scores-pending').waitFor({ timeout: 60000 });
    await host.page.getByTestId('reveal-scores').click();
    for (const w of walls) await w.page.getByText('Strategy score').waitFor({ timeout: 60000 });
    for (const p of phones) await p.page.getByTestId('score-quantitative').waitFor({ timeout: 60000 });
    await look('debrief');
    await host.page.getByTestId('room-view-next-page').click();
    for (const w of walls) await w.page.getByTestId('room-view-focus').waitFor({ timeout: 60000 });
    await look('debrief-team');
    assert.deepEqual(await violations(walls[0].page), [], 'the room view in the debrief');

    for (const d of [host, ...walls, ...phones]) {
      assert.deepEqual(d.errors, [], 'no errors on any screen');
      await d.context.close();
    }
  });
}
