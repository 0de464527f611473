import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFrontMatterShown } from '../../src/main/core/search/front-matter-shown';
import { startTestCore, type TestCore } from '../helpers/test-core';

describe('front matter as a result reads it', () => {
  it('is one line of properties, without the title the result shows', () => {
    const note =
      '---\ntitle: Workspaces\nsection: 7\ndescription: "Working with workspaces"\n---\n\n# Setup\n\nRun it.';
    expect(withFrontMatterShown(note, ['Workspaces', 'workspaces.md'])).toBe(
      'section: 7 · description: Working with workspaces\n\n# Setup\n\nRun it.',
    );
    // A title the result does not show (its file name is shown instead) stays.
    expect(withFrontMatterShown(note, ['workspaces.md']).split('\n')[0]).toBe(
      'title: Workspaces · section: 7 · description: Working with workspaces',
    );
  });

  it('joins a list into its key, and a text written over several lines into one', () => {
    const note = [
      '---',
      'tags:',
      '  - garden',
      '  - tomatoes',
      "aliases: [beds, 'raised beds']",
      'summary: >',
      '  Water the beds',
      '  at dawn.',
      'draft:',
      '# a comment',
      '...',
      'Body.',
    ].join('\n');
    expect(withFrontMatterShown(note, [])).toBe(
      'tags: garden, tomatoes · aliases: beds, raised beds · summary: Water the beds at dawn.\nBody.',
    );
  });

  it("reads Hugo's TOML front matter the same way, its tables' headers not shown", () => {
    const post =
      '+++\ntitle = "Pruning roses"\ndate = 2024-03-01\ntags = ["garden", "roses"]\n[params]\nauthor = \'Ann\'\n+++\n\nCut above a bud.';
    expect(withFrontMatterShown(post, ['Pruning roses'])).toBe(
      'date: 2024-03-01 · tags: garden, roses · author: Ann\n\nCut above a bud.',
    );
  });

  it('leaves text alone that does not open with properties', () => {
    for (const text of [
      '---\nA rule, then a sentence of prose.\n---\nMore.',
      'title: not front matter\n---\n',
      '---\n---\nEmpty block.',
      '+++\nA TOML block never closed.',
      'Plain text.',
    ]) {
      expect(withFrontMatterShown(text, [])).toBe(text);
    }
  });

  it('shows nothing of a block that only repeats the title', () => {
    expect(withFrontMatterShown('---\ntitle: Plan\n---\nThe plan.', ['Plan'])).toBe('The plan.');
  });
});

describe('front matter in results and the preview', () => {
  let t: TestCore;
  let folder: string;

  beforeAll(async () => {
    t = await startTestCore({ model: false });
    folder = mkdtempSync(join(tmpdir(), 'trove-front-matter-'));
    writeFileSync(
      join(folder, 'tomatoes.md'),
      '---\ntitle: Growing tomatoes\ntags: [garden, summer]\ndescription: Staking and watering the zqvine\n---\n\nWater the zqvine at dawn.\n',
    );
    await t.core.connectors.add({ type: 'local_folder', name: 'Notes', settings: { path: folder } });
    await t.core.idle();
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reads as properties in the snippet and the preview', async () => {
    const found = await t.core.search.search({ query: 'zqvine', mode: 'keyword' });
    const [group] = found.groups;
    expect(group?.document.title).toBe('Growing tomatoes');
    const snippet = group!.chunks[0]!.snippet.map((s) => s.text).join('');
    // A snippet reads as one run of text.
    expect(snippet).toBe(
      'tags: garden, summer · description: Staking and watering the zqvine Water the zqvine at dawn.',
    );
    const context = t.core.search.context({ chunkId: group!.chunks[0]!.chunkId, around: 1, query: 'zqvine' });
    const previewText = context.chunks.map((c) => c.segments.map((s) => s.text).join('')).join('\n');
    // The preview reads as the document does, which opens with its title (the pane's header shows it too).
    expect(previewText.split('\n')[0]).toBe(
      'title: Growing tomatoes · tags: garden, summer · description: Staking and watering the zqvine',
    );
    expect(previewText).not.toContain('---');
  });
});
