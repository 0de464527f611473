/**
 * The packaging configuration, read the way electron-builder reads it (its
 * own loader and schema), so a fuse that is dropped, misspelt or flipped
 * back fails here instead of shipping silently.
 */
import { describe, expect, it } from 'vitest';
import { FuseV1Options, fuseWire, loadBuilderConfig, validateBuilderConfig } from './builder-config';

describe('electron-builder configuration', () => {
  it('sets every security fuse, as the wire electron-builder writes into the binary', async () => {
    const config = await loadBuilderConfig();
    expect(config.electronFuses, 'electron-builder.yml has no electronFuses').toBeTruthy();
    const wire = await fuseWire(config.electronFuses!);
    const fuse = (name: string): unknown => wire[String(FuseV1Options[name])];
    expect(fuse('RunAsNode')).toBe(false);
    expect(fuse('EnableNodeOptionsEnvironmentVariable')).toBe(false);
    expect(fuse('EnableNodeCliInspectArguments')).toBe(false);
    expect(fuse('EnableCookieEncryption')).toBe(true);
    expect(fuse('EnableEmbeddedAsarIntegrityValidation')).toBe(true);
    expect(fuse('OnlyLoadAppFromAsar')).toBe(true);
    expect(fuse('GrantFileProtocolExtraPrivileges')).toBe(false);
    // Left at Electron's default on purpose: Trove ships no browser-process V8 snapshot.
    expect(fuse('LoadBrowserProcessSpecificV8Snapshot')).toBeUndefined();
  });

  it('packs the app into an asar with its integrity hash, which the asar fuses need', async () => {
    const config = await loadBuilderConfig();
    expect(config.asar).toBe(true);
  });

  it("rejects a misspelt fuse with electron-builder's own schema", async () => {
    const config = await loadBuilderConfig();
    await expect(validateBuilderConfig({ ...config, electronFuses: { runAsnode: false } })).rejects.toThrow(
      /electronFuses/,
    );
  });
});
