// A big board: one team's 500 cards, then 100 responses beside them, on a
// learner's phone (390×844) and the facilitator's console (1920×1080). For
// each of several changes made by another member (a card raised in
// Identify, a response proposed in Respond), the time from the page
// receiving the change until its DOM is updated and laid out: the page's
// own work for one change, in the same task as the message. The members
// are WebSocket clients speaking the real protocol. `cargo xtask bench
// --board` runs it; by hand, after `cargo xtask dist`:
//   node tests/e2e/board.bench.mjs [changes]
// A benchmark, not a test: it prints figures and asserts nothing.

import { startServer, launchBrowser, device, createRoom, joinAs, tab, peopleOnSockets } from './harness.mjs';

const changes = Number(process.argv[2] ?? 7);
const CARDS = 500;
const RESPONSES = 100;
const MEMBERS = 10;

/** Times each change the page receives (a message holding `BENCH-n`):
 * from the message until the DOM it changed is laid out. */
function timeRenders() {
  window.__renders = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (m) => {
        const tag = typeof m.data === 'string' && /BENCH-\d+/.exec(m.data)?.[0];
        if (!tag) return;
        const start = performance.now();
        const seen = new MutationObserver(() => {
          seen.disconnect();
          void document.body.offsetHeight;
          window.__renders.push({ tag, ms: performance.now() - start });
        });
        seen.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });
    }
  };
}

/** The members and the facilitator, as sockets in a page of the server. */
async function crowd(page, code, key) {
  await peopleOnSockets(page);
  await page.evaluate(async ({ code, key, members }) => {
    const { open, send, token } = window.people;
    const facilitator = await open(code, { as: 'facilitator', key });
    const people = [];
    for (let i = 1; i <= members; i++) {
      const p = await open(code, { as: 'participant', token: token() });
      await send(p, { type: 'join', name: `Member ${i}` });
      people.push(p);
    }
    window.crowd = { facilitator, people, send };
  }, { code, key, members: MEMBERS });
}

/** The median and range of the timings of `tags` on `page`. */
async function timings(page, tags) {
  const all = await page.evaluate(() => window.__renders);
  const ms = tags.map((t) => all.find((r) => r.tag === t)?.ms).filter((x) => x != null).sort((a, b) => a - b);
  if (ms.length === 0) return 'none';
  return `${ms[Math.floor(ms.length / 2)].toFixed(1)},${ms[0].toFixed(1)},${ms.at(-1).toFixed(1)},${ms.length}`;
}

const server = await startServer({
  args: ['--max-cards-per-team', String(CARDS + changes + 10), '--max-messages-per-second', '1000'],
});
const browser = await launchBrowser();
try {
  const console_ = await device(browser, { width: 1920, height: 1080 });
  await console_.page.addInitScript(timeRenders);
  const code = await createRoom(console_.page, server.url, { title: 'A big board', scenario: 'ransomware' });
  const key = await console_.page.evaluate((c) => JSON.parse(localStorage.getItem(`riskroom.facilitator-key.${c}`)), code);
  const phone = await device(browser, { width: 390, height: 844 });
  await phone.page.addInitScript(timeRenders);
  await joinAs(phone.page, `${server.url}join/${code}`, 'Ada');
  const bots = await device(browser);
  await bots.page.goto(server.url);
  await crowd(bots.page, code, key);
  const advance = () => bots.page.evaluate(() => window.crowd.send(window.crowd.facilitator, { type: 'advance_phase' }));
  const phaseIs = async (name) => {
    for (const page of [console_.page, phone.page]) {
      await page.getByTestId('phase').filter({ hasText: new RegExp(`^${name}$`) }).waitFor();
    }
  };
  await advance();
  await advance();
  await phaseIs('Identify');

  // 500 cards, fifty a member.
  await bots.page.evaluate(async (cards) => {
    const c = window.crowd;
    await Promise.all(c.people.map(async (p, i) => {
      for (let n = i; n < cards; n += c.people.length) {
        await c.send(p, { type: 'raise_risk', title: `Risk ${n + 1}: a supplier, a system or a rumour that could cost us dearly`, description: 'What we saw, and why it matters to the plan for the quarter.', clue: null });
      }
    }));
  }, CARDS);
  await tab(phone.page, 'board');
  for (const page of [console_.page, phone.page]) {
    await page.getByTestId('card-count').filter({ hasText: new RegExp(`^${CARDS}$`) }).waitFor();
  }
  const measure = async (command) => {
    const tags = [];
    for (let i = 0; i < changes; i++) {
      const tag = `BENCH-${Date.now()}${i}`;
      tags.push(tag);
      await bots.page.evaluate(
        ({ tag, command }) => window.crowd.send(window.crowd.people[0], JSON.parse(JSON.stringify(command).replaceAll('TAG', tag))),
        { tag, command },
      );
      for (const page of [console_.page, phone.page]) {
        await page.waitForFunction((t) => window.__renders.some((r) => r.tag === t), tag);
      }
    }
    return tags;
  };
  const raised = await measure({ type: 'raise_risk', title: 'TAG: one more risk', description: '', clue: null });
  console.log(`BOARD phase=identify cards=${CARDS} responses=0 view=phone ms=${await timings(phone.page, raised)}`);
  console.log(`BOARD phase=identify cards=${CARDS} responses=0 view=console ms=${await timings(console_.page, raised)}`);

  // Respond: 100 responses beside the cards.
  await advance();
  await advance();
  await phaseIs('Respond');
  await bots.page.evaluate(async (responses) => {
    const c = window.crowd;
    const card = c.people[0].events.find((e) => e.type === 'risk_raised').card;
    await Promise.all(c.people.map(async (p, i) => {
      for (let n = i; n < responses; n += c.people.length) {
        await c.send(p, { type: 'propose_custom_response', title: `Response ${n + 1}: a second supplier for the parts we cannot wait for`, kind: 'reduce', cost: 1000 * (n + 1), effects: [{ card, probability: 0.5, impact: 1 }] });
      }
    }));
  }, RESPONSES);
  await tab(phone.page, 'now');
  for (const page of [console_.page, phone.page]) {
    await page.getByText(`Response ${RESPONSES}: a second supplier`).first().waitFor({ state: 'attached' });
  }
  const proposed = await measure({ type: 'propose_custom_response', title: 'TAG: one more response', kind: 'accept', cost: 0, effects: [] });
  console.log(`BOARD phase=respond cards=${CARDS + changes} responses=${RESPONSES} view=phone ms=${await timings(phone.page, proposed)}`);
  console.log(`BOARD phase=respond cards=${CARDS + changes} responses=${RESPONSES} view=console ms=${await timings(console_.page, proposed)}`);
} finally {
  await browser.close();
  await server.stop();
}
