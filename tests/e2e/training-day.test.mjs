// A training day, once per built-in scenario: the facilitator's console at
// 1920×1080, the room view opened from its own link on two projectors
// (1920×1080 and 1280×720, each its own browser context), five learners on
// phones at 390×844 and 360×740, one of them the role model. Every phase to the
// debrief: each shared moment reaches every screen, nothing private reaches
// the room view, and the room view fits its screen throughout.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, shot, fits, violations, sideways, createRoom, joinAs, shotOf } from './harness.mjs';

const env = serverAndBrowser({ before, after });

const SCENARIOS = [
  ['supplier', 'Supplier'],
  ['ransomware', 'ransomware'],
  ['recall', 'recall'],
];
const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'];

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
      await shot(phones[0].page, `training-${slug}-${phase}-phone`);
      await shot(phones.at(-1).page, `training-${slug}-${phase}-phone-360`);
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
      const form = p.page.locator('form', { has: p.page.getByText('Your private estimate for “Ada\'s worry”') });
      await form.getByLabel('Chance (%)').fill(p.name === 'Ada' ? '30' : '10');
      await form.getByLabel(/low end/).fill('50000');
      await form.getByLabel(/High end/).fill('900000');
      await form.getByRole('button', { name: /Submit my estimate/ }).click();
      await p.page.getByTestId('my-estimate').first().waitFor();
    }
    for (const w of walls) await w.page.getByTestId('room-view-estimated').filter({ hasText: 'of 5 have estimated' }).waitFor();
    await look('assess');
    await host.page.getByTestId('reveal').click();
    for (const w of walls) await w.page.getByTestId('room-view-spread').filter({ hasText: '10–30%' }).waitFor();
    for (const p of phones) await p.page.getByTestId('heat-map').first().waitFor();
    await shotOf(phones.at(-1).page.locator('figure.heat-map').first(), `training-${slug}-heat-map-360`);
    await look('assess-revealed');

    await start('Respond');
    const proposal = phones[0].page.getByTestId('catalogue-response').first();
    const title = (await proposal.locator('h4').textContent()).trim();
    await proposal.getByRole('button', { name: /^Propose/ }).click();
    await host.page.getByRole('button', { name: `Adopt for the team: “${title}”` }).click();
    for (const w of walls) await w.page.getByTestId('room-view-response').filter({ hasText: 'in the strategy' }).waitFor();
    for (const p of phones) await p.page.getByTestId('board-response').filter({ hasText: 'In the strategy' }).waitFor();
    await look('respond');

    await start('Play the year');
    const total = Number((await host.page.getByTestId('year-progress').first().textContent()).match(/of (\d+) events/)[1]);
    if (total > 0) {
      await host.page.getByTestId('year-next').first().click();
      for (const w of walls) await w.page.getByTestId('room-view-year').filter({ hasText: `Event 1 of ${total}` }).waitFor();
      for (const p of phones) await p.page.getByTestId('year-progress').first().filter({ hasText: `1 of ${total} events` }).waitFor();
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
