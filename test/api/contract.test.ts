import { describe, expect, it } from 'vitest';
import { commands, coreCommands, shellCommands, TroveEvent } from '../../src/shared/contract';
import { describeIssues } from '../../src/main/core/api/dispatch';

function parse(name: keyof typeof commands, input: unknown) {
  return commands[name].input.safeParse(input);
}

describe('contract validation', () => {
  it('accepts well-formed calls and fills documented defaults', () => {
    const search = parse('search', { query: 'compost' });
    expect(search.success).toBe(true);
    expect(search.data).toMatchObject({ query: 'compost', mode: 'hybrid', limit: 20 });
    expect(parse('syncConnector', { connectorId: 'c1' }).data).toEqual({ connectorId: 'c1', mode: 'incremental' });
    expect(
      parse('addLocalFolder', { path: '/home/me/Notes', include: ['**/*.md'], maxFileSizeBytes: 1024 }).success,
    ).toBe(true);
    expect(parse('addLocalFolder', { path: 'C:\\Users\\me\\Notes' }).success).toBe(true);
    expect(parse('listConnectors', {}).success).toBe(true);
  });

  it('rejects malformed calls and names the offending field', () => {
    const relative = parse('addLocalFolder', { path: 'Notes' });
    expect(relative.success).toBe(false);
    expect(describeIssues(relative.error!)).toMatch(/^path: must be a full path/);

    const badMode = parse('search', { query: 'x', mode: 'fuzzy' });
    expect(describeIssues(badMode.error!)).toMatch(/^mode: /);

    const emptyQuery = parse('search', { query: '   ' });
    expect(describeIssues(emptyQuery.error!)).toMatch(/^query: must not be empty/);

    const nested = parse('search', { query: 'x', filters: { connectorIds: [42] } });
    expect(describeIssues(nested.error!)).toMatch(/^filters\.connectorIds\.0: /);

    const unconfirmed = parse('removeConnector', { connectorId: 'c1', confirm: false });
    expect(describeIssues(unconfirmed.error!)).toMatch(/^confirm: must be true/);

    expect(parse('importPaths', { paths: [] }).success).toBe(false);
    expect(parse('listConnectors', { sneaky: true }).success).toBe(false);
    expect(parse('openExternal', { url: 'file:///etc/passwd' }).success).toBe(false);
    expect(parse('openExternal', { url: 'javascript:alert(1)' }).success).toBe(false);
    expect(parse('updateSettings', { relayUrl: 'ftp://relay' }).success).toBe(false);
    expect(parse('setGeminiKey', { apiKey: 'short' }).success).toBe(false);
    // The quick-search shortcut: modifiers and one key, or null to switch it off.
    for (const ok of ['CommandOrControl+Shift+Space', 'Alt+F12', 'Ctrl+Alt+K', 'Super+/', null]) {
      expect(parse('updateSettings', { quickSearchShortcut: ok }).success, String(ok)).toBe(true);
    }
    for (const bad of ['Space', 'K', 'Ctrl+', 'Ctrl+Shift+Space+K', 'Control+Banana', '']) {
      expect(parse('updateSettings', { quickSearchShortcut: bad }).success, bad).toBe(false);
    }
  });

  it('keeps core and shell commands apart with no name in both', () => {
    const core = Object.keys(coreCommands);
    const shell = Object.keys(shellCommands);
    expect(shell.sort()).toEqual([
      'hideQuickSearch',
      'openExternal',
      'openPath',
      'pickPaths',
      'quickSearchShortcutStatus',
      'revealPath',
    ]);
    expect(core.filter((name) => shell.includes(name))).toEqual([]);
    for (const spec of Object.values(commands)) {
      expect(spec.input).toBeDefined();
      expect(spec.output).toBeDefined();
      expect(spec.summary.length).toBeGreaterThan(5);
    }
  });

  it('never lets a secret out through the settings output schema', () => {
    const view = {
      embedding: { provider: 'gemini', modelId: 'gemini-embedding-001' },
      ocr: { languages: ['eng'], availableLanguages: [{ code: 'eng', name: 'English' }], minConfidence: 60 },
      geminiKey: { set: true, masked: '••••abcd', apiKey: 'AIza-secret' },
      googleClient: { clientId: 'id.apps.googleusercontent.com', secret: { set: true, masked: '••••wxyz' } },
      relayUrl: null,
      quickSearchShortcut: null,
      dataDir: '/data',
      dataSizeBytes: 10,
    };
    const parsed = commands.getSettings.output.parse(view);
    expect(JSON.stringify(parsed)).not.toContain('AIza-secret');
  });

  it('parses every event kind and rejects unknown ones', () => {
    const at = Date.now();
    expect(
      TroveEvent.safeParse({
        type: 'job',
        phase: 'progress',
        jobId: 'j',
        jobType: 'sync_connector',
        connectorId: null,
        documentId: null,
        progress: 0.5,
        message: '1 of 2',
        error: null,
        attempts: 1,
        maxAttempts: 3,
        at,
      }).success,
    ).toBe(true);
    expect(
      TroveEvent.safeParse({
        type: 'run.progress',
        run: {
          syncLogId: 'r',
          connectorId: 'c',
          phase: 'indexing',
          status: 'running',
          startedAt: at,
          examined: 10,
          examineTotal: 10,
          toIndex: 10,
          indexed: 4,
          pending: 6,
          failed: 1,
          skipped: 0,
        },
        at,
      }).success,
    ).toBe(true);
    expect(TroveEvent.safeParse({ type: 'job', phase: 'exploded', jobId: 'j' }).success).toBe(false);
    expect(TroveEvent.safeParse({ type: 'mystery' }).success).toBe(false);
  });
});
