// Accessibility: axe-core finds no violations on the pages people use —
// the start page, the facilitator console (with a scenario and its risk
// picture), the join form and a learner's page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, device, violations } from './harness.mjs';

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

  for (const d of [host, learner]) await d.context.close();
});
