#!/usr/bin/env node
// Native modules (better-sqlite3, keytar) are compiled for one ABI at a time:
// plain Node's (tests, CLI, browser mode) or Electron's (desktop app). This
// rebuilds them for the runtime about to start, only when they were last built
// for the other one.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: ensure-native.js node|electron');
  process.exit(2);
}
const marker = 'node_modules/.trove-native-target';
const current = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : 'node';

function loadsUnderNode() {
  const probe = spawnSync(
    process.execPath,
    ['-e', "new (require('better-sqlite3'))(':memory:').close(); require('keytar')"],
    {
      encoding: 'utf8',
    },
  );
  return probe.status === 0;
}

function run(cmd, args) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (target === 'node') {
  if (current === 'node' && loadsUnderNode()) process.exit(0);
  run('npm', ['rebuild', 'better-sqlite3', 'keytar']);
} else {
  if (current === 'electron') process.exit(0);
  run('npx', ['electron-builder', 'install-app-deps']);
}
writeFileSync(marker, target + '\n');
