// One file to deploy: the release server copied alone into an empty folder
// serves the whole app from inside itself (no dist/ beside it), compressed,
// and a facilitator at 1280×720 creates a room and picks a scenario there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { launchBrowser, device, createRoom } from './harness.mjs';

const serverBin = process.env.RISKROOM_SERVER_BIN ?? new URL('../../target/release/riskroom-server', import.meta.url).pathname;

test('the server alone in an empty folder serves the app and runs a room', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riskroom-one-file-'));
  const bin = join(dir, 'riskroom-server');
  copyFileSync(serverBin, bin);
  assert.deepEqual(readdirSync(dir), ['riskroom-server'], 'nothing but the executable');
  const child = spawn(bin, ['--addr', '127.0.0.1:0'], {
    cwd: dir,
    env: { ...process.env, RUST_LOG: 'riskroom_server=info', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  createInterface({ input: child.stderr }).on('line', (l) => log.push(l));
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/^Riskroom is running at (http:\/\/\S+)$/);
      if (m) resolve(m[1]);
    });
  });
  const browser = await launchBrowser();
  try {
    assert.ok(log.some((l) => l.includes('serving the app built into this executable')), log.join('\n'));
    const page = await (await fetch(url)).text();
    const wasm = /riskroom-[0-9a-f]+_bg\.wasm/.exec(page)[0];
    const file = await fetch(`${url}${wasm}`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-encoding'), 'br');
    const host = await device(browser, { width: 1280, height: 720 });
    const code = await createRoom(host.page, url, { title: 'From one file', scenario: 'supplier' });
    assert.match(code, /^[2-9A-Z]{6}$/);
    assert.deepEqual(host.errors, []);
    // The room is kept beside it, in the default data folder.
    assert.ok(readdirSync(join(dir, 'data')).some((f) => f.endsWith('.sqlite3')));
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
});
