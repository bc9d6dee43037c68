// The join link phones get: the QR code on the console and on the room view,
// read from the screen as a phone's camera would, carries the server's
// public URL; a link that only the facilitator's computer can open is
// flagged in words; listening on the network, the console offers this
// machine's addresses instead of its own loopback one.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, device, shot, startServer, readQr } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Creates a room in a console at 1920×1080; returns the page and code. */
async function console_(server) {
  const host = await device(browser, { width: 1920, height: 1080 });
  await host.page.goto(server.url);
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await host.page.waitForURL(/\/host\//);
  const code = (await host.page.getByTestId('room-code').textContent()).trim();
  return { host, code };
}

/** Waits until the server has printed a line matching `pattern`. */
async function printed(server, pattern) {
  for (let i = 0; i < 50 && !server.printed.some((l) => pattern.test(l)); i += 1) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return server.printed.find((l) => pattern.test(l));
}

test('the QR code carries the public URL, on the console and on the room view', async () => {
  const server = await startServer({ args: ['--public-url', 'http://riskroom.test:8080/training'] });
  try {
    assert.match(await printed(server, /^Phones join at/), /http:\/\/riskroom\.test:8080\/training\//);
    const { host, code } = await console_(server);
    const expected = `http://riskroom.test:8080/training/join/${code}`;
    await host.page.getByTestId('join-link').filter({ hasText: expected }).waitFor();
    assert.equal(await readQr(host.page.getByRole('img', { name: /^QR code of the join link/ })), expected);
    assert.equal(await host.page.getByTestId('join-warning').count(), 0, 'no warning');
    await shot(host.page, 'console-public-url');

    // The room-view link points at the public address too; opened here
    // (the test's browser cannot resolve that name), its QR code is the same.
    const roomViewUrl = await host.page.getByTestId('room-view-link').getAttribute('href');
    assert.ok(roomViewUrl.startsWith(`http://riskroom.test:8080/training/room-view/${code}#view=`), roomViewUrl);
    const projector = await device(browser, { width: 1920, height: 1080 });
    // Where the proxy would take it: the public path on this server.
    await projector.page.goto(`${server.url}training/room-view/${code}#${roomViewUrl.split("#")[1]}`);
    await projector.page.getByTestId('room-view-code').filter({ hasText: code }).waitFor();
    await projector.page.locator('.join-link', { hasText: expected }).waitFor();
    assert.equal(await readQr(projector.page.locator('.room-view-join svg.qr')), expected);
    for (const d of [host, projector]) {
      assert.deepEqual(d.errors, []);
      await d.context.close();
    }
  } finally {
    await server.stop();
  }
});

test('a link only this computer can open is flagged in words', async () => {
  const server = await startServer();
  try {
    assert.match(await printed(server, /--addr 0\.0\.0\.0/), /To let phones join/);
    const { host, code } = await console_(server);
    const expected = `${server.url}join/${code}`;
    assert.equal(await readQr(host.page.getByRole('img', { name: /^QR code of the join link/ })), expected);
    await host.page
      .getByTestId('join-warning')
      .filter({ hasText: 'Phones cannot open this link: it names this computer.' })
      .waitFor();
    await shot(host.page, 'console-loopback-warning');
    assert.deepEqual(host.errors, []);
    await host.context.close();
  } finally {
    await server.stop();
  }
});

test('listening on the network, the console offers the machine\'s addresses', async () => {
  const server = await startServer({ addr: '0.0.0.0:0' });
  try {
    const site = await (await fetch(`${server.url}api/site`)).json();
    assert.equal(site.public_url, null);
    const { host, code } = await console_(server);
    const qr = host.page.getByRole('img', { name: /^QR code of the join link/ });
    if (site.addresses.length === 0) {
      // A machine with no network but loopback: nothing to offer.
      await host.page.getByTestId('join-warning').waitFor();
      assert.equal(await readQr(qr), `${server.url}join/${code}`);
    } else {
      for (const address of site.addresses) assert.doesNotMatch(address, /127\.0\.0\.1|localhost/);
      const expected = `${site.addresses[0]}join/${code}`;
      await host.page.getByTestId('join-link').filter({ hasText: expected }).waitFor();
      assert.equal(await readQr(qr), expected);
      assert.equal(await host.page.getByTestId('join-warning').count(), 0);
      if (site.addresses.length > 1) {
        await host.page.getByLabel('Phones join at').selectOption(site.addresses[1]);
        const second = `${site.addresses[1]}join/${code}`;
        await host.page.getByTestId('join-link').filter({ hasText: second }).waitFor();
        assert.equal(await readQr(qr), second);
      }
    }
    assert.deepEqual(host.errors, []);
    await host.context.close();
  } finally {
    await server.stop();
  }
});

test('the room view opens from its own link and the facilitator can replace it', async () => {
  const server = await startServer();
  try {
    const { host, code } = await console_(server);
    const oldUrl = await host.page.getByTestId('room-view-link').getAttribute('href');
    await host.page.getByText("The room view's link and QR code").click();
    assert.equal(await readQr(host.page.locator('.room-view-link svg.qr')), oldUrl);
    const projector = await device(browser, { width: 1280, height: 720 });
    await projector.page.goto(oldUrl);
    await projector.page.getByTestId('room-view-code').filter({ hasText: code }).waitFor();

    await host.page.getByTestId('replace-room-view-link').click();
    await projector.page.getByRole('alert').filter({ hasText: 'The facilitator replaced this room-view link' }).waitFor();
    await host.page.waitForFunction(
      (old) => document.querySelector('[data-testid="room-view-link"]')?.getAttribute('href') !== old,
      oldUrl,
    );
    const newUrl = await host.page.getByTestId('room-view-link').getAttribute('href');
    assert.equal(await readQr(host.page.locator('.room-view-link svg.qr')), newUrl);

    // The old link, opened afresh on another computer, is refused in words;
    // the new one works.
    const stale = await device(browser, { width: 1280, height: 720 });
    await stale.page.goto(oldUrl);
    await stale.page.getByRole('alert').filter({ hasText: 'This room-view link does not open room' }).waitFor();
    const fresh = await device(browser, { width: 1280, height: 720 });
    await fresh.page.goto(newUrl);
    await fresh.page.getByTestId('room-view-code').filter({ hasText: code }).waitFor();
    await shot(host.page, 'console-room-view-link');
    // The smallest sizes people will use: the projector at 1280×720 and a
    // phone at 360×740, joining.
    const phone = await device(browser, { width: 360, height: 740 });
    await phone.page.goto(`${server.url}join/${code}`);
    await phone.page.getByLabel('Your name, as the group will see it').fill('Ada');
    await phone.page.getByRole('button', { name: 'Join' }).click();
    await phone.page.getByTestId('my-name').filter({ hasText: 'Ada' }).waitFor();
    await fresh.page.getByTestId('room-view-people').filter({ hasText: '1 person has joined' }).waitFor();
    // The room code and the QR code are on the screen at 1280×720, not below it.
    for (const part of [fresh.page.getByTestId('room-view-code'), fresh.page.locator('.room-view-join svg.qr')]) {
      const box = await part.boundingBox();
      assert.ok(box.y + box.height <= 720, `below the fold at 1280×720: ${JSON.stringify(box)}`);
    }
    await shot(fresh.page, 'room-view-lobby-1280');
    await shot(phone.page, 'learner-lobby-360');
    await phone.context.close();
    for (const d of [host, projector, stale, fresh]) await d.context.close();
  } finally {
    await server.stop();
  }
});
