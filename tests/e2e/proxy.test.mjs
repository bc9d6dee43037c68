// Behind the company's reverse proxy: nginx from Debian, configured exactly
// as docs/deploy.md says (its configuration is read from there), serves
// Riskroom under /tools/riskroom/ with its default Host handling. A
// facilitator at 1280×720 creates a room through it, a learner's phone
// (390×844) joins from the link the console shows and raises a risk, the
// console sees it; every file and the WebSocket went through the proxy.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, device, shot, joinAs } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const nginxBin = process.env.NGINX ?? '/usr/sbin/nginx';
const env = {};

/** The fenced nginx blocks of docs/deploy.md: [location, map]. */
function documentedConfig() {
  const doc = readFileSync(join(here, '../../docs/deploy.md'), 'utf8');
  const blocks = [...doc.matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1]);
  const location = blocks.find((b) => b.startsWith('location /tools/riskroom/'));
  const map = blocks.find((b) => b.startsWith('map $http_upgrade'));
  assert.ok(location && map, 'docs/deploy.md holds the location and the map');
  return { location, map };
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  const port = await freePort();
  env.public = `http://127.0.0.1:${port}/tools/riskroom/`;
  env.server = await startServer({ args: ['--public-url', env.public] });
  const upstream = new URL(env.server.url).host;
  const { location, map } = documentedConfig();
  const dir = mkdtempSync(join(tmpdir(), 'riskroom-nginx-'));
  // Only what a test needs around the documented blocks: its own port,
  // files and logs, in the foreground.
  const conf = `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${map}
  server {
    listen 127.0.0.1:${port};
    ${location.replace('http://127.0.0.1:8080/', `http://${upstream}/`)}
  }
}
`;
  assert.ok(conf.includes(`proxy_pass http://${upstream}/;`), 'the upstream is the test server');
  writeFileSync(join(dir, 'nginx.conf'), conf);
  env.dir = dir;
  env.nginx = spawn(nginxBin, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'inherit', 'inherit'] });
  // Ready when it answers.
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(env.public);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  env.nginx?.kill('SIGTERM');
  await env.server?.stop();
});

test('a room created and joined through nginx under /tools/riskroom/', async () => {
  const host = await device(env.browser, { width: 1280, height: 720 });
  const failed = [];
  host.page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await host.page.goto(env.public);
  await host.page.getByLabel('Session title').fill('Behind the proxy');
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.waitForURL(/\/tools\/riskroom\/host\/[2-9A-Z]{6}$/);
  const code = (await host.page.getByTestId('room-code').textContent()).trim();
  await host.page.getByText('Live', { exact: true }).waitFor();
  await host.page.locator('.offers li', { hasText: 'supplier' }).getByRole('button').click();
  await host.page.getByTestId('current-scenario').filter({ hasText: 'Chosen:' }).waitFor();

  // The join link is the proxy's address, under the sub-path.
  const joinLink = await host.page.getByTestId('join-link').textContent();
  assert.equal(joinLink, `${env.public}join/${code}`);

  const phone = await device(env.browser, { width: 390, height: 844 });
  await joinAs(phone.page, joinLink, 'Ada');
  await host.page.getByTestId('participant-count').filter({ hasText: /^2$/ }).waitFor();
  for (const phase of ['Briefing', 'Identify']) {
    await host.page.getByRole('button', { name: `Start ${phase}` }).click();
    await phone.page.getByTestId('phase').filter({ hasText: new RegExp(`^${phase}$`) }).waitFor();
  }
  await phone.page.getByLabel('A risk you see').fill('The only supplier of housings may fold');
  await phone.page.getByRole('button', { name: 'Put it on the board' }).click();
  await phone.page.getByTestId('my-card').filter({ hasText: 'The only supplier of housings may fold' }).waitFor();
  await host.page.getByText('The only supplier of housings may fold').first().waitFor();
  await shot(host.page, 'proxy-console-720');
  await shot(phone.page, 'proxy-phone-390');

  await host.context.close();
  await phone.context.close();

  // Everything came through nginx (a WebSocket is logged once it closed),
  // compressed where it should be.
  let log = '';
  for (let i = 0; i < 50 && !/" 101 /.test(log); i++) {
    await new Promise((r) => setTimeout(r, 100));
    log = readFileSync(join(env.dir, 'access.log'), 'utf8');
  }
  assert.match(log, /GET \/tools\/riskroom\/ws HTTP\/1.1" 101/, 'the WebSocket went through the proxy');
  assert.match(log, /GET \/tools\/riskroom\/riskroom-console-[0-9a-f]+_bg\.wasm HTTP\/1.1" 200/);
  const index = await fetch(env.public, { headers: { 'accept-encoding': 'br' } });
  assert.match(await index.text(), /<base href="\/tools\/riskroom\/" \/>/);
  const wasm = /riskroom-console-[0-9a-f]+_bg\.wasm/.exec(log)[0];
  const file = await fetch(`${env.public}${wasm}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(file.headers.get('content-encoding'), 'br');
  assert.equal(file.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.deepEqual(failed, [], 'nothing the pages asked for failed');
  // The metrics are for the monitoring only.
  assert.equal((await fetch(`${env.public}metrics`)).status, 404);
  assert.equal((await fetch(`${env.server.url}metrics`)).status, 200);
});
