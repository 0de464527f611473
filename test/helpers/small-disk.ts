/**
 * A real small disk for full-disk tests: a tmpfs of a chosen size mounted on
 * a folder, which fails writes with a real ENOSPC / SQLITE_FULL when it fills
 * up. Mounting needs root (CI and the dev machines run as root); where it is
 * not allowed, `mountSmallDisk` returns null and tests fall back to SQLite's
 * `max_page_count` cap, which fails database writes with a real SQLITE_FULL
 * (see page-cap/register.mjs).
 *
 * Set TROVE_TEST_DISK=page-cap to force the fallback (to check it still works).
 */
import { spawnSync } from 'node:child_process';
import { statfsSync } from 'node:fs';

export interface SmallDisk {
  dir: string;
  /** Bytes free, as the disk reports them. */
  freeBytes(): number;
  /** Bytes in use. */
  usedBytes(): number;
  /** Grows or shrinks the disk (tmpfs allows both, down to what is in use). */
  resize(bytes: number): void;
  unmount(): void;
}

const MB = 1024 * 1024;

function run(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Mounts a tmpfs of `bytes` on `dir` (which must exist and be empty), or returns null when this process may not mount. */
export function mountSmallDisk(dir: string, bytes: number): SmallDisk | null {
  if (process.env.TROVE_TEST_DISK === 'page-cap') return null;
  if (!run(['mount', '-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir]).ok) return null;
  let mounted = true;
  return {
    dir,
    freeBytes() {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
    usedBytes() {
      const s = statfsSync(dir);
      return (s.blocks - s.bfree) * s.bsize;
    },
    resize(size: number) {
      const result = run(['mount', '-o', `remount,size=${size}`, dir]);
      if (!result.ok) throw new Error(`could not resize the tmpfs on ${dir}: ${result.output}`);
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      // Lazy: a child that has not quite exited yet must not make the test fail.
      run(['umount', '-l', dir]);
    },
  };
}

export { MB };
