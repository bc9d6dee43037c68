// The facilitator chooses the exercise's scenario: a file from their own
// computer is checked with the same rules and words as check-scenario;
// a valid one (or a built-in) is used, and learners see its title only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { serverAndBrowser, device, shot } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const minimal = readFileSync(join(here, '../../crates/core/tests/data/minimal.toml'), 'utf8');

const env = serverAndBrowser({ before, after });

test('a facilitator checks and loads a scenario file, learners see its title', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riskroom-scenario-'));
  const bad = join(dir, 'our-drill.toml');
  writeFileSync(bad, minimal.replace('currency = "EUR"', 'currency = "eur"').replace('probability = 0.2', 'probability = 2'));
  const good = join(dir, 'our-drill-fixed.toml');
  writeFileSync(good, minimal);

  const host = await device(env.browser, { width: 1280, height: 1000 });
  await host.page.goto(env.server.url);
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.waitForURL(/\/host\//);
  const code = (await host.page.getByTestId('room-code').textContent()).trim();
  await host.page.getByTestId('current-scenario').filter({ hasText: 'No scenario chosen yet.' }).waitFor();

  const ada = await device(env.browser, { width: 390, height: 844 });
  await ada.page.goto(`${env.server.url}join/${code}`);
  await ada.page.getByLabel('Your name, as the group will see it').fill('Ada');
  await ada.page.getByRole('button', { name: 'Join' }).click();
  await ada.page.getByTestId('my-name').waitFor();

  // A broken file: every problem, in plain words, and no way to use it.
  await host.page.getByLabel('Or load a scenario file (.toml) from this computer').setInputFiles(bad);
  const check = host.page.getByTestId('scenario-check');
  await check.getByText('our-drill.toml has 2 problems to fix before it can be used:').waitFor();
  assert.deepEqual(await check.locator('.problems li').allTextContents(), [
    'our-drill.toml:8: currency: "eur" is not a currency code: use three capital letters such as "EUR"',
    'our-drill.toml:39: risk[1].frequency.probability: a yearly probability must be between 0 and 1; it is 2',
  ]);
  assert.equal(await check.getByRole('button').count(), 0);
  await shot(host.page, 'console-scenario-problems');

  // The fixed file is valid and used.
  await host.page.getByLabel('Or load a scenario file (.toml) from this computer').setInputFiles(good);
  await check.getByText('our-drill-fixed.toml is valid.').waitFor();
  await check.getByRole('button', { name: 'Use this scenario' }).click();
  await host.page.getByTestId('current-scenario').filter({ hasText: 'Chosen: Minimal scenario' }).waitFor();
  await ada.page.getByTestId('learner-scenario').filter({ hasText: 'Minimal scenario' }).waitFor();
  await shot(ada.page, 'learner-scenario-chosen');

  // A built-in can replace it while the room is in the lobby.
  const builtIns = host.page.locator('.offers li');
  assert.ok((await builtIns.count()) >= 3, 'at least three built-in scenarios are offered');
  const title = (await builtIns.first().locator('h3').textContent()).trim();
  await builtIns.first().getByRole('button').click();
  await host.page.getByTestId('current-scenario').filter({ hasText: `Chosen: ${title}` }).waitFor();
  await ada.page.getByTestId('learner-scenario').filter({ hasText: title }).waitFor();
  await shot(host.page, 'console-scenario-chosen');

  // The facilitator's risk picture: 200,000 simulated years (no responses,
  // then the playbook) in slices, the page showing its progress between
  // them, then the figures. The page records every progress value it
  // renders, so the check does not depend on how often this test looks.
  // (How long the main thread is busy meanwhile is a benchmark:
  // risk-picture.bench.mjs.)
  await host.page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="simulation-progress"]');
      const value = bar?.getAttribute('value');
      if (value != null && window.__progress.at(-1) !== value) window.__progress.push(value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await host.page.getByRole('button', { name: 'Simulate 100,000 years' }).click();
  const summary = host.page.getByTestId('simulation-summary');
  await summary.waitFor();
  const progress = (await host.page.evaluate(() => window.__progress)).map(Number);
  assert.ok(progress.length >= 2, `progress was shown in steps (saw ${progress})`);
  assert.ok(
    progress.every((v, i) => i === 0 || v > progress[i - 1]),
    `progress only moved forward (saw ${progress})`,
  );
  assert.equal(await host.page.getByTestId('simulation-progress').count(), 0, 'the progress bar gives way to the figures');
  const text = await summary.textContent();
  assert.match(text, /Expected annual loss/);
  assert.match(text, /(EUR|GBP|USD) [0-9,]+/);
  await shot(host.page, 'console-risk-picture');

  for (const d of [host, ada]) {
    assert.deepEqual(d.errors, []);
    await d.context.close();
  }
});
