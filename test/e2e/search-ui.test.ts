/**
 * Issue 16's Search screen as a person drives it in Chromium (browser mode):
 * titles from inside documents, the keyboard model, the preview pane, Open
 * and Reveal, the operators popover and chips, "Did you mean" and "More
 * like this". Screenshots go to /tmp/search-ui-shots/ (light and dark).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../fixtures/documents';
import { startE2EApp, type E2EApp } from './harness';

const SHOTS = process.env.SEARCH_UI_SHOTS ?? '/tmp/search-ui-shots';
let app: E2EApp;
let notes: string;
let imported: string;

/** The PDF with a Title property, as office suites write it. */
async function titled(bytes: Uint8Array, title: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes);
  pdf.setTitle(title);
  return pdf.save();
}

const para = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `Sentence ${i + 1} about ${topic} and the shed by the fence.`).join(' ');

beforeAll(async () => {
  app = await startE2EApp();
  await mkdir(SHOTS, { recursive: true });
  notes = path.join(app.filesDir, 'notes');
  await mkdir(notes, { recursive: true });
  await writeFile(
    path.join(notes, 'tomatoes.md'),
    [
      '# Growing tomatoes',
      '',
      para('seedlings', 30),
      '',
      '## Watering',
      '',
      `Water the tomato beds deeply twice a week. ${para('mulch', 30)}`,
      '',
      '## Harvest',
      '',
      `Pick the fruit when it is fully red. ${para('baskets', 30)}`,
    ].join('\n'),
  );
  await writeFile(
    path.join(notes, 'compost.md'),
    `# Compost heap\n\nTurn the compost for the tomato beds. ${para('worms', 10)}`,
  );
  await writeFile(
    path.join(notes, 'bread.md'),
    `# Sourdough starter\n\nFeed the sourdough starter daily. ${para('flour', 8)}`,
  );
  const bikes = `# Bicycle repair\n\nPatch the inner tube. ${para('spanners', 8)}`;
  await writeFile(path.join(notes, 'bikes.md'), bikes);
  // The same file kept in a second folder: one result, with the copy named.
  await mkdir(path.join(notes, 'old'));
  await writeFile(path.join(notes, 'old', 'bikes.md'), bikes);
  await writeFile(
    path.join(notes, 'rota.pdf'),
    await titled(
      await makePdf([
        Array.from({ length: 45 }, (_, i) => `Plot ${i + 1} opens the gate on its day and locks the shed.`).join('\n'),
        [
          ...Array.from({ length: 40 }, (_, i) => `Bed ${i + 1} is weeded on its day and watered at dusk.`),
          'The tomato greenhouse is aired by Sam on Mondays.',
        ].join('\n'),
      ]),
      'Allotment rota',
    ),
  );
  // A source file: its passages are shown as code, under the class and method they are in.
  await mkdir(path.join(notes, 'tools'));
  const steps = Array.from({ length: 50 }, (_, i) => `        total += entry.amounts[${i}] * RATE`);
  steps[45] = '        total -= entry.kwrefundzq  # refunds come last';
  await writeFile(
    path.join(notes, 'tools', 'ledger.py'),
    ['class Ledger:', '    def settle(self, entry):', '        total = 0', ...steps, '        return total', ''].join(
      '\n',
    ),
  );
  // Code found by the words of a camelCase name it declares.
  await writeFile(
    path.join(notes, 'tools', 'tally.ts'),
    [
      '/** Counts what the sorter let through. */',
      'export function tallyQuzzleSprockets(bins: number[][]): number {',
      '  return bins.flat().filter((n) => n > 0).length;',
      '}',
      '',
    ].join('\n'),
  );
  // A note with a command in a code span: the option searched is marked inside one box of code.
  await writeFile(
    path.join(notes, 'tools', 'backup.md'),
    '# Shed backup\n\nCopy the garden photos with `rsync -a --one-file-system` so the shared drive stays out.\n',
  );
  await app.api.addLocalFolder({ path: notes, name: 'Garden notes' });
  // Imported by path (as the desktop app and the CLI do): the person's own file is what opens.
  imported = path.join(app.filesDir, 'inbox', 'minutes-2026.md');
  await mkdir(path.dirname(imported), { recursive: true });
  await writeFile(imported, '# Allotment committee minutes\n\nThe committee agreed to buy tomato stakes.\n');
  await app.api.importPaths({ paths: [imported] });
  for (let waited = 0; (await app.api.searchStatus({})).indexedDocuments < 10; waited += 100) {
    if (waited > 60_000) throw new Error('The fixtures were not indexed within a minute.');
    await new Promise((r) => setTimeout(r, 100));
  }
  await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && app) {
    await app.screenshot(`FAILED-search-ui-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`);
  }
});

afterAll(async () => {
  await app?.close();
});

const input = (page: Page) => page.getByTestId('search-input');
const results = (page: Page) => page.getByTestId('search-result');
const titles = (page: Page) => results(page).locator('.result-title').allInnerTexts();
const selectedTitle = (page: Page) => page.locator('[role="option"][aria-selected="true"] .result-title').innerText();

/** Types a query and waits until its own answer is on the screen (not the previous query's). */
async function search(page: Page, query: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  // From an empty box, so that the same query typed again is searched again.
  await input(page).fill('');
  await page.getByTestId('search-empty').waitFor();
  const answered = page.waitForResponse(
    (r) =>
      r.url().endsWith('/api/search') &&
      (JSON.parse(r.request().postData() ?? '{}') as { query?: string }).query === query,
  );
  await input(page).fill(query);
  await answered;
  await expect.poll(() => page.getByTestId('searching').count()).toBe(0);
  await page.waitForTimeout(50);
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${theme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('search results people can use from the keyboard', () => {
  it('says it is searching while results load, then titles results from inside the documents', async () => {
    const { page } = app;
    // A slow answer, as on a busy machine: the screen must say what is happening meanwhile.
    await page.route('**/api/search', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.getByTestId('nav-search').click();
    await input(page).fill('tomato');
    await expect.poll(() => page.getByTestId('searching').isVisible()).toBe(true);
    await shoot(page, '01-searching');
    await page.unrouteAll({ behavior: 'wait' });
    await expect.poll(() => results(page).count()).toBeGreaterThan(2);
    const shown = await titles(page);
    expect(shown).toContain('Growing tomatoes');
    expect(shown).toContain('Allotment committee minutes');
    expect(shown.some((t) => t.endsWith('.md'))).toBe(false);
    // The file name is still shown (and searchable), the source said once.
    const minutes = results(page).filter({ hasText: 'Allotment committee minutes' });
    expect(await minutes.locator('.result-source').innerText()).toMatch(/^Imported files · minutes-2026\.md/);
    await search(page, 'minutes-2026');
    expect(await titles(page)).toContain('Allotment committee minutes');
  });

  it('moves the selection with the arrows, previews with → / Space, and Esc closes the preview then clears', async () => {
    const { page } = app;
    await search(page, 'tomato');
    const first = await selectedTitle(page);
    await input(page).press('ArrowDown');
    const second = await selectedTitle(page);
    expect(second).not.toBe(first);
    const active = await input(page).getAttribute('aria-activedescendant');
    expect(await page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
    await input(page).press('ArrowUp');
    expect(await selectedTitle(page)).toBe(first);

    // Select "Growing tomatoes" and preview it.
    for (let i = 0; i < 6 && (await selectedTitle(page)) !== 'Growing tomatoes'; i++)
      await input(page).press('ArrowDown');
    // A slow passage: the pane says it is loading.
    await page.route('**/api/chunkContext', async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    await input(page).press('End');
    await input(page).press('ArrowRight');
    const preview = page.getByTestId('preview');
    await preview.waitFor();
    expect(await page.getByTestId('preview-loading').innerText()).toBe('Loading the passage…');
    await page.unrouteAll({ behavior: 'wait' });
    await expect.poll(() => page.getByTestId('preview-current').count()).toBe(1);
    // The passage in context: its neighbours and their headings, the query's words highlighted.
    expect(await page.getByTestId('preview-chunk').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('preview-current').locator('mark').first().innerText()).toMatch(/tomato/i);
    expect(await preview.innerText()).toMatch(/Watering|Harvest/);
    await shoot(page, '02-preview');
    // A narrow window puts the preview under the results, still without sideways scrolling.
    await page.setViewportSize({ width: 900, height: 700 });
    await shoot(page, '02-preview-narrow');
    const overflow = await page.evaluate(() => {
      const d = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
      ).document.documentElement;
      return d.scrollWidth - d.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });

    await input(page).press('Escape');
    await expect.poll(() => preview.count()).toBe(0);
    expect(await input(page).inputValue()).toBe('tomato');
    await input(page).press('Escape');
    expect(await input(page).inputValue()).toBe('');

    // Space toggles the preview from the list itself.
    await search(page, 'tomato');
    await results(page).nth(1).click();
    await page.keyboard.press(' ');
    await page.getByTestId('preview').waitFor();
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('preview').count()).toBe(0);
    // Ctrl+K comes back to the box from anywhere.
    await page.getByTestId('nav-settings').focus();
    await page.keyboard.press('Control+k');
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement
              ?.id,
        ),
      )
      .toBe('search-input');
  });

  it('opens the original: Enter on a result, the PDF at the passage page, served for indexed documents only', async () => {
    const { page, context } = app;
    await search(page, 'minutes-2026');
    const [popup, request] = await Promise.all([
      context.waitForEvent('page'),
      context.waitForEvent('request', (r) => r.url().includes('/api/original')),
      input(page).press('Enter'),
    ]);
    const minutesId = new URL(request.url()).searchParams.get('document');
    const response = await request.response();
    expect(response?.status()).toBe(200);
    expect(await response?.text()).toContain('The committee agreed to buy tomato stakes.');
    await popup.close();
    // The id is the imported document's, and its original is the person's file, not a copy.
    const target = await app.api.openTarget({ documentId: minutesId! });
    expect(target).toMatchObject({ kind: 'file', path: imported, exists: true, copy: false });

    await search(page, 'greenhouse');
    expect(await selectedTitle(page)).toBe('Allotment rota');
    await input(page).press('End');
    await input(page).press('ArrowRight');
    const open = page.getByTestId('preview-open');
    expect(await open.innerText()).toBe('Open at page 2');
    const [pdfPage, pdfRequest] = await Promise.all([
      context.waitForEvent('page'),
      context.waitForEvent('request', (r) => r.url().includes('/api/original')),
      open.click(),
    ]);
    expect(pdfPage.url()).toMatch(/\/api\/original\?document=[^#]+#page=2$/);
    const pdf = await pdfRequest.response();
    expect(pdf?.headers()['content-type']).toBe('application/pdf');
    await pdfPage.close();
    // Nothing but an indexed document's id is served.
    const refused = await page.evaluate(
      async () => (await fetch('/api/original?document=..%2F..%2Fetc%2Fpasswd')).status,
    );
    expect(refused).toBe(404);
  });

  it('reveals a local file: a browser copies its path and says why', async () => {
    const { page } = app;
    await search(page, 'minutes-2026');
    await input(page).press('End');
    await input(page).press('ArrowRight');
    await page.getByTestId('preview-reveal').click();
    const toast = await page.getByTestId('toast').innerText();
    expect(toast).toContain(imported);
    expect(toast).toMatch(/browser cannot open your file manager/);
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    ).toBe(imported);
    await input(page).press('Escape');
  });

  it('lists the operators, adds one from the popover, shows it as a chip that can be removed', async () => {
    const { page } = app;
    await search(page, 'tomato');
    await page.getByTestId('operator-help-toggle').click();
    const help = page.getByTestId('operator-help');
    await help.waitFor();
    for (const op of ['"exact phrase"', '-word', 'title:', 'type:pdf', 'in:', 'after:', 'before:']) {
      expect(await help.innerText()).toContain(op);
    }
    await shoot(page, '03-operators');
    await help.getByRole('button', { name: 'Add type:pdf to the query' }).click();
    expect(await input(page).inputValue()).toBe('tomato type:pdf');
    await expect.poll(() => titles(page)).toEqual(['Allotment rota']);
    const chip = page.getByTestId('operator-chip');
    expect(await chip.innerText()).toMatch(/Type:\s*pdf/);
    await shoot(page, '04-chips');
    await chip.getByRole('button', { name: 'Remove type:pdf' }).click();
    expect(await input(page).inputValue()).toBe('tomato');
    await expect.poll(async () => (await titles(page)).length).toBeGreaterThan(1);
  });

  it('offers "Did you mean" with one click', async () => {
    const { page } = app;
    await search(page, 'sourdogh starter');
    const suggestion = page.getByTestId('did-you-mean');
    await suggestion.waitFor();
    expect(await suggestion.innerText()).toBe('sourdough starter');
    await shoot(page, '05-did-you-mean');
    await suggestion.click();
    expect(await input(page).inputValue()).toBe('sourdough starter');
    await expect.poll(() => titles(page)).toContain('Sourdough starter');
  });

  it('shows a file kept in two folders once, names the other copy, and opens it', async () => {
    const { page, context } = app;
    await search(page, 'inner tube');
    expect(await titles(page)).toEqual(['Bicycle repair']);
    const copies = results(page).first().getByTestId('result-copies');
    // Either copy may stand for the two (same text, same rank): the other one is named.
    expect(await copies.innerText()).toMatch(/^Same or nearly the same text in: (old|notes)\/bikes\.md$/);
    const label = results(page).first();
    expect(await label.getAttribute('aria-label')).toMatch(/same or nearly the same text in 1 more place$/);
    await shoot(page, '07-copies');
    const [popup, request] = await Promise.all([
      context.waitForEvent('page'),
      context.waitForEvent('request', (r) => r.url().includes('/api/original')),
      copies.getByTestId('open-copy').click(),
    ]);
    await popup.close();
    const opened = await app.api.openTarget({ documentId: new URL(request.url()).searchParams.get('document')! });
    const named = (await copies.innerText()).split(': ')[1]!;
    expect(opened).toMatchObject({ kind: 'file', path: path.join(notes, named.replace(/^notes\//, '')) });

    // From the keyboard: the preview lists the copy too, and Tab reaches it.
    await input(page).press('End');
    await input(page).press('ArrowRight');
    const preview = page.getByTestId('preview');
    expect(await preview.getByTestId('result-copies').innerText()).toBe(await copies.innerText());
    await page.getByTestId('preview-open').focus();
    const copyButton = preview.getByTestId('open-copy');
    const focused = () => copyButton.evaluate((b) => b === b.ownerDocument.activeElement);
    for (let presses = 0; presses < 5 && !(await focused()); presses++) {
      await page.keyboard.press('Tab');
    }
    expect(await focused()).toBe(true);
    const [again] = await Promise.all([
      context.waitForEvent('request', (r) => r.url().includes('/api/original')),
      context.waitForEvent('page').then((p) => p.close()),
      page.keyboard.press('Enter'),
    ]);
    expect(new URL(again.url()).searchParams.get('document')).toBe(new URL(request.url()).searchParams.get('document'));
    await page.keyboard.press('Escape');
  });

  it('shows a passage of code as one block of lines, under the class and method it is in', async () => {
    const { page } = app;
    await search(page, 'kwrefundzq');
    const ledger = results(page).filter({ hasText: 'ledger.py' });
    await expect.poll(() => ledger.count()).toBe(1);
    expect(await ledger.locator('.snippet-path').first().innerText()).toBe('class Ledger › settle()');
    const block = ledger.locator('code.code-block').first();
    expect(await block.locator('mark').innerText()).toBe('kwrefundzq');
    // Its lines and their indentation, in one box: not prose, not one box per line.
    expect(await block.innerText()).toMatch(
      /total \+= entry\.amounts\[\d+\] \* RATE\n {0,8}total -= entry\.kwrefundzq/,
    );
    expect(await ledger.locator('code:not(.code-block)').count()).toBe(0);
    // The window opens mid-method: its "…" leads the block rather than sitting on a line above it.
    expect(await block.innerText()).toMatch(/^…/);
    await shoot(page, '07-code');
  });

  it('shows a code span with a match in it as one box, the match marked inside', async () => {
    const { page } = app;
    await search(page, '--one-file-system');
    const backup = results(page).filter({ hasText: 'Shed backup' });
    await expect.poll(() => backup.count()).toBe(1);
    expect((await titles(page))[0]).toBe('Shed backup');
    const code = backup.locator('.snippet code');
    expect(await code.allInnerTexts()).toEqual(['rsync -a --one-file-system']);
    expect(await code.locator('mark').allInnerTexts()).toEqual(['one-file-system']);
    await shoot(page, '07a-code-span');
  });

  it('finds code by the words of a camelCase name, marked inside the name in the result and the preview', async () => {
    const { page } = app;
    await search(page, 'quzzle sprockets');
    const tally = results(page).filter({ hasText: 'tally.ts' });
    await expect.poll(() => tally.count()).toBe(1);
    const block = tally.locator('code.code-block').first();
    expect(await block.innerText()).toContain('export function tallyQuzzleSprockets(');
    expect(await block.locator('mark').allInnerTexts()).toEqual(['QuzzleSprockets']);
    expect(await selectedTitle(page)).toBe('tally.ts');
    await input(page).press('ArrowRight');
    const current = page.getByTestId('preview-current');
    await expect.poll(() => current.locator('mark').allInnerTexts()).toEqual(['QuzzleSprockets']);
    await shoot(page, '07b-code-name-words');
    await input(page).press('Escape');
    await expect.poll(() => page.getByTestId('preview').count()).toBe(0);
  });

  it('lists documents like a result, without it, and goes back', async () => {
    const { page } = app;
    await search(page, 'compost');
    const compost = results(page).filter({ hasText: 'Compost heap' });
    await compost.click();
    await compost.getByTestId('more-like-this').click();
    const header = page.getByTestId('similar-header');
    await expect.poll(() => header.innerText()).toMatch(/Documents like “Compost heap” · \d+ found/);
    const similar = await titles(page);
    expect(similar).not.toContain('Compost heap');
    expect(similar).toContain('Growing tomatoes');
    await shoot(page, '06-more-like-this');
    await page.getByTestId('similar-back').click();
    await expect.poll(() => titles(page)).toContain('Compost heap');
  });
});
