import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app';

// The labeling page (/label) driven in headless Debian Chromium through playwright-core: an
// annotator labels an item with a click, keyboard shortcuts and free text with suggestions, and
// the majority-vote posterior of that (item, concept) moves from 1/3 to 1/2 in the next run.

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('labeling page assets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  it('serves the page, its script and its style sheet with their content types', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/label' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.body).toContain('src="/label/app.js"');
    const js = await t.app.inject({ method: 'GET', url: '/label/app.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(() => new Function(js.body)).not.toThrow(); // it parses
    const css = await t.app.inject({ method: 'GET', url: '/label/app.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('@media (max-width: 30rem)');
  });
});

if (!existsSync(CHROMIUM)) {
  describe('labeling page in headless Chromium', () => {
    it.skip(`skipped: ${CHROMIUM} is missing (install Debian's chromium, e.g. with .ci/browser-setup)`, () => undefined);
  });
} else {
  describe('labeling page in headless Chromium', () => {
    let t: TestApp;
    let browser: Browser;
    let base: string;
    const id: Record<string, number> = {};
    let campaignId: number;

    const api = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
      const r = await t.request(method, url, body);
      if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${r.text}`);
      return r.body;
    };
    const darkPosterior = async () => {
      const run = await api('POST', '/models/photos/aggregations', { method: 'mv' });
      const flags = await api('GET', `/models/photos/concept-flags?run=${run.id}`);
      return flags.items.find((i: { externalId: string }) => i.externalId === 'p1').flags['dark photo'];
    };

    beforeAll(async () => {
      t = await startTestApp();
      await t.app.listen(0, '127.0.0.1');
      base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
      await api('POST', '/models', { name: 'photos', classes: ['cat', 'dog'] });
      await api('POST', '/models/photos/predictions', {
        externalId: 'p1',
        predicted: 'cat',
        confidence: 0.92,
        text: 'A grey cat on a sofa, late at night',
        attributes: { room: 'living room', hour: 23 },
      });
      id.dark = (await api('POST', '/models/photos/concepts', { name: 'dark photo', aliases: ['too dark', 'underexposed'], description: 'too little light to see well' })).id;
      id.small = (await api('POST', '/models/photos/concepts', { name: 'small object' })).id;
      for (const name of ['ann', 'bob', 'cy', 'pat']) id[name] = (await api('POST', '/annotators', { name, role: name === 'pat' ? 'stakeholder' : 'crowd' })).id;
      const campaign = await api('POST', '/models/photos/campaigns', {
        name: 'night shots',
        conceptIds: [id.dark, id.small],
        design: { type: 'stratified' },
        budget: 4,
        labelsPerItem: 4,
        showModelAnswer: true,
      });
      campaignId = campaign.id;
      // Prior answers on "dark photo": no, no, yes.
      for (const [who, dark] of [
        ['ann', 'no'],
        ['bob', 'no'],
        ['cy', 'yes'],
      ]) {
        const { task } = await api('POST', `/campaigns/${campaignId}/tasks/next`, { annotatorId: id[who] });
        await api('POST', `/tasks/${task.id}/submit`, { annotatorId: id[who], answers: [{ conceptId: id.dark, answer: dark }, { conceptId: id.small, answer: 'no' }] });
      }
      browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('labels an item on a phone-sized screen and the aggregated posterior follows', async () => {
      const before = await darkPosterior();
      expect(before).toEqual({ present: false, posterior: 1 / 3 });

      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.goto(`${base}/label?annotator=${id.pat}&campaign=${campaignId}`);

      await page.locator('#task').waitFor({ state: 'visible' });
      expect(await page.locator('#item-text').textContent()).toBe('A grey cat on a sofa, late at night');
      expect(await page.locator('#item-attributes').textContent()).toContain('living room');
      expect(await page.locator('#model-answer').textContent()).toBe('The model says: cat (confidence 92%)');
      expect(await page.locator('#who').textContent()).toBe('pat · stakeholder');
      // Nothing sticks out sideways on a 390 px wide screen.
      // (a string expression: the test compiles without the DOM library)
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);

      // Yes on "dark photo" by a click, then j (next concept) and n (no) on "small object".
      await page.locator('[data-concept-name="dark photo"] label', { hasText: 'Yes' }).click();
      await page.keyboard.press('j');
      await page.keyboard.press('n');
      expect(await page.locator('[data-concept-name="small object"] input[value=no]').isChecked()).toBe(true);
      expect(await page.locator('[data-concept-name="dark photo"] input[value=yes]').isChecked()).toBe(true);

      // Free text: "/" jumps to the box; typing "too da" suggests "dark photo" (via its alias); Tab takes it.
      await page.keyboard.press('/');
      await page.locator('#free-text').pressSequentially('too da');
      const suggestion = page.locator('#suggestions li').first();
      await suggestion.waitFor({ state: 'visible' });
      expect(await suggestion.getAttribute('data-name')).toBe('dark photo');
      await page.keyboard.press('Tab');
      await page.locator('#free-text').pressSequentially('glare on the lens');
      expect(await page.locator('#free-text').inputValue()).toBe('dark photo, glare on the lens');

      // Esc leaves the box, Enter submits.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
      await page.locator('#done').waitFor({ state: 'visible' });
      const message = await page.locator('#message').textContent();
      expect(message).toContain('Saved task');
      expect(message).toContain('2 answers');
      expect(message).toContain('recognised “dark photo”');
      expect(message).toContain('new idea for the curators: “glare on the lens”');
      expect(await page.locator('#done-reason').textContent()).toBe('This campaign has used its whole labeling budget.');
      await context.close();

      // no, no, yes, yes: the vote share goes from 1/3 to 1/2, and the flag turns present.
      const after = await darkPosterior();
      expect(after).toEqual({ present: true, posterior: 0.5 });
      const proposed = await api('GET', '/models/photos/concepts?status=proposed');
      expect(proposed.map((c: { name: string }) => c.name)).toEqual(['glare on the lens']);
    });

    it("shows the API's error message when the annotator does not exist", async () => {
      const page = await browser.newPage();
      await page.goto(`${base}/label?annotator=9999&campaign=${campaignId}`);
      const error = page.locator('#error');
      await error.waitFor({ state: 'visible' });
      expect(await error.textContent()).toBe('no annotator 9999');
      expect(await page.locator('#setup').isVisible()).toBe(true);
      await page.close();
    });

    it('refuses to submit an empty task and says what to do', async () => {
      const c2 = await api('POST', '/models/photos/campaigns', { name: 'second look', conceptIds: [id.small], design: { type: 'stratified' }, budget: 1 });
      const page = await browser.newPage();
      await page.goto(`${base}/label?annotator=${id.ann}&campaign=${c2.id}`);
      await page.locator('#task').waitFor({ state: 'visible' });
      await page.locator('#submit').click();
      expect(await page.locator('#error').textContent()).toBe('Answer at least one concept (y / n / u) or write what makes the item hard.');
      await page.keyboard.press('u');
      await page.locator('#submit').click();
      await page.locator('#done').waitFor({ state: 'visible' });
      expect(await page.locator('#message').textContent()).toContain('1 answer');
      await page.close();
    });
  });
}
