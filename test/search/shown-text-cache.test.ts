import { describe, expect, it, vi } from 'vitest';

/** The cache module afresh, with displayText counted: each test starts with nothing remembered. */
async function freshCache() {
  vi.resetModules();
  const snippetText = await import('../../src/main/core/search/snippet-text');
  const displayText = vi.spyOn(snippetText, 'displayText');
  const cache = await import('../../src/main/core/search/shown-text-cache');
  return { ...cache, displayText };
}

describe('shownText', () => {
  it('shows a chunk as displayText does, and strips its markup once while it stays among the recent ones', async () => {
    const { shownText, displayText } = await freshCache();
    const raw = '## Rounding\n\nUse **`quantize()`** with [ROUND_HALF_EVEN](#modes).';
    const expected = displayText(raw);
    displayText.mockClear();
    expect(shownText(raw)).toBe(expected);
    // A string equal to it, read again from the library: its markup is not stripped again.
    expect(shownText(raw.slice(0, 10) + raw.slice(10))).toBe(expected);
    expect(displayText).toHaveBeenCalledTimes(1);
  });

  it('never shows a text as another was shown: a changed text, or the same text in another markup', async () => {
    const { shownText, displayText } = await freshCache();
    const literal = 'Run it like this::\n\n    python -m venv env\n\nThen activate it.';
    const asRst = shownText(literal, 'rst');
    const asMarkdown = shownText(literal, 'markdown');
    expect(asRst).not.toBe(asMarkdown);
    expect(shownText(`${literal} Twice.`, 'rst')).toContain('Twice.');
    expect(displayText).toHaveBeenCalledTimes(3);
  });

  it('remembers at most SHOWN_TEXT_CACHE_ENTRIES texts, forgetting the least recently shown', async () => {
    const { shownText, displayText, SHOWN_TEXT_CACHE_ENTRIES } = await freshCache();
    const texts = Array.from({ length: SHOWN_TEXT_CACHE_ENTRIES + 1 }, (_, i) => `Note ${i}.`);
    shownText(texts[0]!);
    for (const text of texts.slice(2)) shownText(text);
    shownText(texts[0]!); // shown again: now the most recent
    shownText(texts[1]!); // one too many: the oldest, "Note 2.", goes
    displayText.mockClear();
    shownText(texts[0]!);
    shownText(texts[3]!);
    expect(displayText).not.toHaveBeenCalled();
    shownText(texts[2]!);
    expect(displayText).toHaveBeenCalledTimes(1);
  });
});
