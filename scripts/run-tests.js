#!/usr/bin/env node
// `npm test`: the unit and integration suites (inside a private D-Bus session
// with an unlocked gnome-keyring, so the keychain tests run for real), then the
// build, the smoke test of the built desktop bundle, and the Playwright
// end-to-end suite against the browser mode in the system Chromium.
// `node scripts/run-tests.js unit|bundle|e2e` runs one phase.
// Ends with what failed, a line each, then one summary line: "Tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const results = 'test-results';
mkdirSync(results, { recursive: true });

const hasKeyring = ['dbus-run-session', 'gnome-keyring-daemon'].every(
  (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0,
);
if (!hasKeyring) {
  console.warn('dbus-run-session or gnome-keyring-daemon is missing: the keychain tests will be skipped.');
}

function run(label, args) {
  const cmd = hasKeyring ? 'scripts/with-keyring.sh' : 'npx';
  const full = hasKeyring ? ['npx', ...args] : args;
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, full, { stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

/**
 * What failed in one report, a line each: the failed tests, and the files that
 * failed outside any test (an import error, a failing afterAll hook). Printed
 * again just above the summary line, because the log's tail is often all that
 * is kept of a CI run and the failure itself is pages up.
 */
function failuresIn(report) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const name = path.relative(process.cwd(), file.name);
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests) out.push(`${name} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    if (file.status === 'failed' && failedTests.length === 0)
      out.push(`${name} (outside any test): ${firstLine(file.message)}`);
  }
  return out;
}

function firstLine(message) {
  const line = (message ?? '').split('\n').find((l) => l.trim() !== '') ?? 'no message';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function tally(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: [`${file} was not written`] };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const failures = failuresIn(j);
  return {
    passed: j.numPassedTests ?? 0,
    failed: Math.max(j.numFailedTests ?? 0, failures.length),
    skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0),
    failures,
  };
}

const only = process.argv[2];
const codes = [];
const files = [];

/** One vitest suite, with its JSON report in test-results/ for the summary. */
function suite(label, name, configArgs = []) {
  const report = `${results}/${name}.json`;
  codes.push(
    run(label, ['vitest', 'run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile=${report}`]),
  );
  files.push(report);
}

if (!only || only === 'unit') suite('unit and integration tests', 'unit');
if (!only || only === 'bundle' || only === 'e2e') codes.push(run('build', ['electron-vite', 'build']));
if (!only || only === 'bundle') {
  suite('smoke test of the built desktop bundle', 'bundle', ['--config', 'vitest.bundle.config.ts']);
}
if (!only || only === 'e2e') {
  const chromium = process.env.TROVE_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(chromium)) {
    suite('end-to-end tests (Playwright, Chromium)', 'e2e', ['--config', 'vitest.e2e.config.ts']);
  } else {
    console.warn(`No Chromium at ${chromium}: end-to-end tests not run (install the chromium package).`);
    codes.push(1);
  }
}
const total = files.map(tally).reduce(
  (a, t) => ({
    passed: a.passed + t.passed,
    failed: a.failed + t.failed,
    skipped: a.skipped + t.skipped,
    failures: [...a.failures, ...t.failures],
  }),
  { passed: 0, failed: 0, skipped: 0, failures: [] },
);
if (total.failures.length > 0) {
  console.log('\nFailed:');
  for (const line of total.failures) console.log(`  ✗ ${line}`);
}
console.log(`\nTests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(codes.some((c) => c !== 0) || total.failed > 0 ? 1 : 0);
