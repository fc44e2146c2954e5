/**
 * The offline GraphQL IDE, in a real browser: Debian's headless Chromium driven by playwright-core,
 * with every request that is not to this machine blocked and counted as a failure. A user signs in
 * through the API, opens the IDE, pastes the token into the headers editor, runs a query and the
 * test reads the answer from the page. Without Chromium the test fails: it runs with
 * `npm run test:browser` (which CI runs after `npm test`), so `npm test` needs no browser.
 */
import { existsSync } from 'node:fs';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DEFAULT_HEADERS } from '../../src/app/ide';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createUserWithRole } from '../helpers/factories';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let ds: DataSource;
let t: TestApp;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

describe('the IDE in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const external: string[] = [];
  const problems: string[] = [];
  const graphqlRequests: { headers: Record<string, string>; body: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: run "apt-get install -y chromium" (CI's .ci/run does), or set CHROMIUM_PATH`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 20_000 });
    const context = await browser.newContext();
    await onlyThisMachine(context, external);
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (r.url() === t.app.url && r.method() === 'POST') graphqlRequests.push({ headers: r.headers(), body: r.postData() ?? '' });
    });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('runs a query with a pasted token and shows the answer', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const token = await t.login(user.username);

    const introspection = page.waitForResponse((r) => r.url() === t.app.url && (r.request().postData() ?? '').includes('IntrospectionQuery'));
    await page.goto(t.app.url, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 15_000 });
    // GraphiQL loaded the schema (docs, completion): introspection passed the query limits.
    const schema = await (await introspection).json();
    expect(schema.errors).toBeUndefined();
    expect(schema.data.__schema.queryType.name).toBe('Query');

    // The headers editor is open and pre-filled; paste the token after "Bearer ".
    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    await expect(editorValue(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')).resolves.toBe(DEFAULT_HEADERS);
    await headersEditor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.insertText(token);
    expect(JSON.parse(await editorValue(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror'))).toEqual({ Authorization: `Bearer ${token}` });

    // Replace the query and run it.
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{ me { username } }');
    // GraphiQL re-parses the editor after a short debounce; until then it still sees the default
    // document's two operations and the button is an operation menu. Wait for the plain button.
    await page.locator('.graphiql-execute-button:not([aria-haspopup])').click();

    await page.locator('.result-window').filter({ hasText: user.username }).waitFor({ timeout: 10_000 });
    const shown = JSON.parse(await editorValue(page, '.result-window .CodeMirror'));
    expect(shown).toEqual({ data: { me: { username: user.username } } });

    const sent = graphqlRequests.find((r) => r.body.includes('me { username }'));
    expect(sent?.headers.authorization).toBe(`Bearer ${token}`);
    expect(sent?.headers['content-type']).toMatch(/^application\/json/);
    expect(external).toEqual([]);
    expect(problems).toEqual([]);
  }, 45_000);

  it('would notice an external request (control for the guard above)', async () => {
    const refused: string[] = [];
    const context = await browser.newContext();
    try {
      await onlyThisMachine(context, refused);
      const control = await context.newPage();
      // A reserved name (.invalid never resolves); the request is aborted inside the browser anyway.
      await control.setContent('<link rel="stylesheet" href="https://cdn.example.invalid/graphiql.css">');
      expect(refused).toEqual(['https://cdn.example.invalid/graphiql.css']);
    } finally {
      await context.close();
    }
  });
});

/** Lets requests to this machine through; anything else (a CDN, web fonts, telemetry) is refused and recorded. */
async function onlyThisMachine(context: BrowserContext, refused: string[]): Promise<void> {
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return route.continue();
    refused.push(url.href);
    return route.abort('blockedbyclient');
  });
}

/** The whole text of a CodeMirror 5 editor (what is drawn is only the visible part). */
function editorValue(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}
