/**
 * A full data disk in the browser mode: the UI shows one clear banner and a
 * paused status while it lasts, and both go away by themselves once space is
 * freed and Trove resumes. Needs a real small disk (a tmpfs, so root).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_FAULT_MESSAGES } from '../../src/shared/storage-errors';
import { mountSmallDisk, MB, type SmallDisk } from '../helpers/small-disk';
import { startE2EApp, type E2EApp } from './harness';

let app: E2EApp;
let disk: SmallDisk | null = null;
let notesDir: string;

/** Fills the disk with one file until `leaveBytes` remain free; returns the file. */
function fill(small: SmallDisk, leaveBytes: number): string {
  const file = path.join(small.dir, 'filler.bin');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(256 * 1024, 1);
  try {
    while (small.freeBytes() > leaveBytes + block.length) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return file;
}

beforeAll(async () => {
  app = await startE2EApp({
    prepareDataDir: (dataDir) => {
      disk = mountSmallDisk(dataDir, 64 * MB);
    },
    releaseDataDir: () => disk?.unmount(),
  });
  notesDir = path.join(app.filesDir, 'shipping');
  await mkdir(notesDir, { recursive: true });
  for (let i = 0; i < 400; i++) {
    const text = `Manifest ${i}: containers, cranes and berth kwberth${i % 11}zq schedules. `.repeat(60);
    await writeFile(path.join(notesDir, `manifest-${i}.md`), `# Manifest ${i}\n\n${text}\n`);
  }
});

afterAll(async () => {
  await app?.close();
});

describe('Trove in the browser on a full disk', () => {
  it('shows one clear banner while the disk is full, and clears it by itself once space is freed', async (ctx) => {
    if (!disk) return ctx.skip('mounting a small disk needs root');
    const { page } = app;
    await expect.poll(() => page.getByTestId('storage-banner').count()).toBe(0);
    const filler = fill(disk, 512 * 1024);

    const added = await app.api.addLocalFolder({ path: notesDir, name: 'Shipping' });
    expect(added.connector.name).toBe('Shipping');
    const banner = page.getByTestId('storage-banner');
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toContain(STORAGE_FAULT_MESSAGES.full);
    await expect.poll(() => banner.getAttribute('role')).toBe('alert');
    await expect.poll(() => page.getByTestId('sync-state').textContent()).toBe('Paused: disk full');
    // The banner stays on every screen while paused.
    await page.getByTestId('nav-activity').click();
    await expect.poll(() => page.getByTestId('storage-banner').count()).toBe(1);
    await app.screenshot('disk-full-banner');

    await rm(filler);
    await expect.poll(() => page.getByTestId('storage-banner').count(), { timeout: 60_000 }).toBe(0);
    await page.getByTestId('nav-connectors').click();
    const card = page.getByTestId('connector-card').filter({ hasText: 'Shipping' });
    await expect.poll(() => card.getByTestId('doc-count-completed').textContent(), { timeout: 60_000 }).toBe('400');
    await expect.poll(() => page.getByTestId('sync-state').textContent(), { timeout: 30_000 }).toBe('Up to date');
  });
});
