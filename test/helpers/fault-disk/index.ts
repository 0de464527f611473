/**
 * A real failing disk for I/O-error tests: a FUSE file system (fault_fs.py)
 * over a backing folder that answers every write, truncate and fsync with a
 * real EIO from the kernel while it is switched to failing. Needs root,
 * /dev/fuse and Debian's python3-fusepy (.ci/run installs it);
 * `mountFaultDisk` returns null where any of them is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./fault_fs.py', import.meta.url));
/** Debian's interpreter, which sees python3-fusepy (a pyenv python on PATH would not). */
const PYTHON = '/usr/bin/python3';

export interface FaultDisk {
  /** The mount point: put the data folder here. */
  dir: string;
  /** From now on every write fails with EIO (true), or works again (false). */
  failWrites(failing: boolean): void;
  unmount(): Promise<void>;
}

function mounted(dir: string): boolean {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[1] === dir);
}

/** Mounts the fault file system on `<root>/disk` (backed by `<root>/backing`), or null when it cannot run here. */
export async function mountFaultDisk(root: string): Promise<FaultDisk | null> {
  if (!existsSync('/dev/fuse') || !existsSync(PYTHON)) return null;
  if (spawnSync(PYTHON, ['-c', 'import fusepy']).status !== 0) return null;
  const backing = join(root, 'backing');
  const dir = join(root, 'disk');
  const switchFile = join(root, 'fail-writes');
  mkdirSync(backing, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(PYTHON, [SCRIPT, backing, dir, switchFile], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!mounted(dir)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      return null;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    dir,
    failWrites(failing) {
      if (failing) writeFileSync(switchFile, '');
      else rmSync(switchFile, { force: true });
    },
    async unmount() {
      spawnSync('umount', ['-l', dir]);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
    },
  };
}
