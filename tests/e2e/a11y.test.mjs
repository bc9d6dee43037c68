// Accessibility: axe-core finds no violations on the pages people use —
// the start page, the facilitator console (with a scenario and its risk
// picture), the join form and a learner's page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, violations, onEveryTab } from './harness.mjs';

const env = serverAndBrowser({ before, after });

test('axe finds no violations on the start page, console, join form and learner page', async () => {
  const host = await device(env.browser);
  await host.page.goto(env.server.url);
  assert.deepEqual(await violations(host.page), [], 'start page');

  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.waitForURL(/\/host\//);
  await host.page.getByText('Live', { exact: true }).waitFor();
  const code = (await host.page.getByTestId('room-code').textContent()).trim();
  await host.page.locator('.offers li').first().getByRole('button').click();
  await host.page.getByTestId('current-scenario').filter({ hasText: 'Chosen:' }).waitFor();
  await host.page.getByRole('button', { name: 'Simulate 100,000 years' }).click();
  await host.page.getByTestId('simulation-summary').waitFor();
  assert.deepEqual(await violations(host.page), [], 'console');

  const learner = await device(env.browser, { width: 390, height: 844 });
  await learner.page.goto(`${env.server.url}join/${code}`);
  await learner.page.getByLabel('Your name, as the group will see it').waitFor();
  assert.deepEqual(await violations(learner.page), [], 'join form');
  await learner.page.getByLabel('Your name, as the group will see it').fill('Ada');
  await learner.page.getByRole('button', { name: 'Join' }).click();
  await learner.page.getByTestId('my-name').waitFor();
  assert.deepEqual(await violations(learner.page), [], 'learner page');
  // The learner's page is tabs (what to do now, the people): each one.
  await onEveryTab(learner.page, async (id) => {
    assert.deepEqual(await violations(learner.page), [], `learner page, ${id} tab`);
  });

  for (const d of [host, learner]) await d.context.close();
});

/** Presses Tab until the focused element's accessible text matches, as a
 * keyboard user would; fails if it is never reached. Focus on the page
 * itself (between the last control and the first) is no control: its text
 * is the whole page, so it never counts as a match. */
async function tabTo(page, pattern, most = 80) {
  for (let i = 0; i < most; i += 1) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return '';
      return `${el.getAttribute('aria-label') ?? ''} ${el.textContent ?? ''} ${el.labels?.[0]?.textContent ?? ''}`.trim();
    });
    if (pattern.test(text)) return;
  }
  assert.fail(`Tab never reached ${pattern}`);
}

test('a facilitator and a learner get through the opening phases by keyboard alone', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  await host.page.goto(env.server.url);
  await tabTo(host.page, /^Session title/);
  await host.page.keyboard.type('Keyboard drill');
  await tabTo(host.page, /^Create room$/);
  await host.page.keyboard.press('Enter');
  await host.page.waitForURL(/\/host\//);
  const code = (await host.page.getByTestId('room-code').textContent()).trim();
  await tabTo(host.page, /^Use this scenario: Ten weeks to peak/, 200);
  await host.page.keyboard.press('Enter');
  await host.page.getByTestId('current-scenario').filter({ hasText: 'Chosen:' }).waitFor();

  const learner = await device(env.browser, { width: 390, height: 844 });
  await learner.page.goto(`${env.server.url}join/${code}`);
  await learner.page.getByText('No learners have joined yet.').waitFor();
  await tabTo(learner.page, /Your name, as the group will see it/);
  await learner.page.keyboard.type('Ada');
  await learner.page.keyboard.press('Enter');
  await learner.page.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();

  for (const phase of ['Briefing', 'Identify']) {
    await host.page.locator('body').focus();
    await tabTo(host.page, new RegExp(`^Start ${phase}$`), 200);
    await host.page.keyboard.press('Enter');
    await learner.page.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
  }
  await tabTo(learner.page, /A risk you see/, 200);
  await learner.page.keyboard.type('The only supplier fails');
  await tabTo(learner.page, /^Put it on the board$/);
  await learner.page.keyboard.press('Enter');
  await host.page.getByTestId('card-count').filter({ hasText: /^1$/ }).waitFor();
  for (const d of [host, learner]) await d.context.close();
});
