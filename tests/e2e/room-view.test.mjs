// The room view on a projector's own computer, at 1920×1080 and 1280×720,
// through every phase of a full room: four teams of ten, forty cards each,
// every catalogue response on every board. Nothing is below the fold or
// clipped, the type is as large as the back of a room needs, and the
// facilitator pages what does not fit on one screen. The forty learners are
// played by WebSocket clients speaking the real protocol (phones would be
// forty browser contexts; the room view cannot tell the difference).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, shot, violations, fits, createRoom, peopleOnSockets } from './harness.mjs';

const env = serverAndBrowser({ before, after });

/** Runs a crowd in a page of the server's origin: one socket per person. */
async function crowd(page, code, key) {
  await peopleOnSockets(page);
  await page.evaluate(async ({ code, key }) => {
    const { open, send, token } = window.people;
    const facilitator = await open(code, { as: 'facilitator', key });
    for (const name of ['North', 'South', 'East']) await send(facilitator, { type: 'create_team', name });
    await send(facilitator, { type: 'rename_team', team: 1, name: 'West' });
    const people = [];
    for (let i = 1; i <= 40; i++) {
      const p = await open(code, { as: 'participant', token: token() });
      await send(p, { type: 'join', name: `Learner ${String(i).padStart(2, '0')}` });
      people.push(p);
    }
    window.crowd = { facilitator, people, send };
  }, { code, key });
}

/** Every member raises four cards: forty on each team's board. */
async function raiseCards(page) {
  await page.evaluate(async () => {
    const { people, send } = window.crowd;
    await Promise.all(people.map(async (p, i) => {
      for (let n = 1; n <= 4; n++) {
        await send(p, { type: 'raise_risk', title: `Risk ${n} seen by learner ${i + 1}: a supplier, a system or a rumour that could cost us dearly`, description: '', clue: null });
      }
    }));
  });
}

/** Card ids on each person's team, from the events they were sent. */
async function estimateHalf(page) {
  await page.evaluate(async () => {
    const { people, send } = window.crowd;
    const cards = (p) => p.events.filter((e) => e.type === 'risk_raised').map((e) => e.card);
    await Promise.all(people.filter((_, i) => Math.floor(i / 4) % 2 === 0).map(async (p, i) => {
      for (const card of cards(p)) {
        const chance = 0.05 + ((card * 7 + i) % 50) / 100;
        await send(p, { type: 'submit_estimate', card, estimate: { frequency: { probability: chance }, low: 10000 * (1 + (card % 9)), high: 400000 * (1 + (i % 5)) } });
      }
    }));
  });
}

/** One member of each team agrees values for the first six of its cards. */
async function agreeSome(page) {
  await page.evaluate(async () => {
    const { people, send } = window.crowd;
    await Promise.all(people.slice(0, 4).map(async (p) => {
      const cards = p.events.filter((e) => e.type === 'risk_raised').map((e) => e.card).slice(0, 6);
      for (const card of cards) {
        await send(p, { type: 'set_consensus', card, estimate: { frequency: { probability: 0.3 }, low: 50000, high: 900000 } });
      }
    }));
  });
}

async function facilitatorSends(page, commands) {
  await page.evaluate(async (commands) => {
    const { facilitator, send } = window.crowd;
    for (const c of commands) await send(facilitator, c);
  }, commands);
}

/** The catalogue proposed on every board, three responses adopted on each. */
async function proposeAll(page, responses) {
  await page.evaluate(async (responses) => {
    const { people, facilitator, send } = window.crowd;
    const teams = new Map();
    for (const p of people) {
      const team = facilitator.events.find((e) => e.type === 'participant_joined' && e.id === p.id)?.team;
      teams.set(team, [...(teams.get(team) ?? []), p]);
    }
    // A response only some roles know is proposed by a member who knows it.
    await Promise.all([...teams.values()].map(async (members) => {
      for (const response of responses) {
        for (const p of members) {
          if (await send(p, { type: 'propose_response', response }).then(() => true, () => false)) break;
        }
      }
    }));
    const proposed = facilitator.events.filter((e) => e.type === 'response_proposed');
    for (const team of teams.keys()) {
      for (const e of proposed.filter((e) => e.team === team).slice(0, 3)) {
        await send(facilitator, { type: 'decide_response', team, response: e.response, adopted: true });
      }
    }
  }, responses);
}

test('the room view fits one screen in every phase with four teams of ten and forty cards each', async () => {
  const host = await device(env.browser, { width: 1920, height: 1080 });
  const code = await createRoom(host.page, env.server.url, {
    title: 'Northfold incident drill for the steering group, day one',
    scenario: 'ransomware',
  });
  const key = await host.page.evaluate((code) => JSON.parse(localStorage.getItem(`riskroom.facilitator-key.${code}`)), code);
  assert.ok(key, 'the console holds the facilitator key');

  const link = await host.page.getByTestId('room-view-link').getAttribute('href');
  const wall = await device(env.browser, { width: 1920, height: 1080 });
  const small = await device(env.browser, { width: 1280, height: 720 });
  const projectors = [[wall.page, '1080'], [small.page, '720']];
  for (const [page] of projectors) {
    await page.goto(link);
    await page.getByTestId('room-view-code').filter({ hasText: code }).waitFor();
  }
  const bots = await device(env.browser);
  await bots.page.goto(env.server.url);
  await crowd(bots.page, code, key);

  const look = async (name, ready) => {
    for (const [page, size] of projectors) {
      await ready(page);
      await fits(page, `${name} at ${size}`);
      await shot(page, `room-view-${name}-${size}`);
    }
  };
  const phase = async (name) => {
    await host.page.getByRole('button', { name: `Start ${name}` }).click();
    for (const [page] of projectors) await page.getByTestId('phase').filter({ hasText: new RegExp(`^${name}$`) }).waitFor();
  };
  const nextPage = async (label) => {
    await host.page.getByTestId('room-view-next-page').click();
    for (const [page] of projectors) await page.getByTestId('room-view-page').filter({ hasText: label }).waitFor();
  };

  await look('lobby', (p) => p.getByTestId('room-view-people').filter({ hasText: '40 people have joined' }).waitFor());

  // Briefing: the story a page at a time beside the budget and appetite.
  await phase('Briefing');
  await look('briefing', (p) => p.getByTestId('room-view-budget').waitFor());
  const storyPages = await wall.page.getByTestId('room-view-page').textContent();
  assert.match(storyPages, /^Page 1 of [2-9]$/, 'the story is paged');
  await nextPage('Page 2 of');
  await look('briefing-2', (p) => p.locator('.rv-story p').first().waitFor());

  // Identify: forty cards a team, paged by the facilitator.
  await phase('Identify');
  await raiseCards(bots.page);
  await look('identify', async (p) => {
    for (const n of await p.getByTestId('card-count').all()) await n.filter({ hasText: /^40$/ }).waitFor();
  });
  assert.equal(await wall.page.getByTestId('room-view-team').count(), 4);
  assert.equal((await wall.page.getByTestId('room-view-page').textContent()).trim(), 'Page 1 of 7');
  assert.equal((await host.page.getByTestId('console-room-view-page').textContent()).trim(), 'Room view: Page 1 of 7');
  await nextPage('Page 2 of 7');
  // The second page carries on where the first stopped, numbered so.
  const first = wall.page.getByTestId('room-view-team').first().locator('.rv-rows');
  assert.equal(await first.getAttribute('start'), '7');
  // A reload lands on the same page.
  await small.page.reload();
  await small.page.getByTestId('room-view-page').filter({ hasText: 'Page 2 of 7' }).waitFor();
  await look('identify-2', (p) => p.getByTestId('room-view-card').first().waitFor());

  // Assess: how many have estimated, never whose estimate is what.
  await phase('Assess');
  await estimateHalf(bots.page);
  await look('assess', async (p) => {
    for (const n of await p.getByTestId('room-view-estimated').all()) await n.filter({ hasText: '5 of 10 have estimated' }).waitFor();
  });
  for (const [page] of projectors) {
    assert.equal(await page.getByTestId('room-view-spread').count(), 0, 'no estimate on the wall before the reveal');
    assert.equal(await page.getByText('% ·').count(), 0, 'no estimate on the wall before the reveal');
  }
  await facilitatorSends(bots.page, [1, 2, 3, 4].map((team) => ({ type: 'reveal_estimates', team })));
  await agreeSome(bots.page);
  await look('assess-revealed', (p) => p.getByTestId('room-view-spread').first().filter({ hasText: 'agreed' }).waitFor());

  // Respond: each board's strategy, budget and live numbers.
  await phase('Respond');
  const catalogue = await bots.page.evaluate(() => {
    return window.crowd.facilitator.room.scenario.response.map((r) => r.id);
  });
  assert.ok(catalogue.length >= 10, `the catalogue has its responses (${catalogue.length})`);
  await proposeAll(bots.page, catalogue);
  await look('respond', async (p) => {
    await p.getByTestId('room-view-appetite').first().waitFor();
    await p.getByTestId('room-view-response').filter({ hasText: 'in the strategy' }).first().waitFor();
  });

  // Play the year: revealed from the console, event by event.
  await phase('Play the year');
  // Up to the third event, or the year's last where the room's seed drew
  // fewer (the core says how many there are).
  const shown = await bots.page.evaluate(async () => {
    const { facilitator, send } = window.crowd;
    const events = (e) => Number(/has (\d+) events/.exec(e.message)?.[1] ?? NaN);
    for (const wanted of [1, 3]) {
      try {
        await send(facilitator, { type: 'reveal_year', shown: wanted });
      } catch (e) {
        const n = events(e);
        if (Number.isNaN(n)) throw e;
        if (n > 0) await send(facilitator, { type: 'reveal_year', shown: n });
        return n;
      }
    }
    return 3;
  });
  await look('year', (p) => p.getByTestId('room-view-year').first()
    .filter({ hasText: shown > 0 ? new RegExp(`^Event ${shown} of`) : /./ }).waitFor());

  // Debrief: the teams compared, the scores when revealed, a page a team.
  await phase('Debrief');
  await look('debrief', (p) => p.getByTestId('room-view-compared').waitFor());
  assert.equal(await wall.page.getByText('Strategy score').count(), 0, 'the scores wait for the facilitator');
  await host.page.getByTestId('reveal-scores').click();
  await look('debrief-scores', (p) => p.getByText('Strategy score').waitFor());
  await nextPage('Page 2 of 5');
  await look('debrief-team', (p) => p.getByTestId('room-view-focus').filter({ hasText: 'West' }).waitFor());
  assert.deepEqual(await violations(wall.page), [], 'the room view in the debrief');

  for (const d of [host, wall, small, bots]) await d.context.close();
});
