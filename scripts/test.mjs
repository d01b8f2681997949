// `npm test`: every check the project has, in order, with one summary at the end. Suites
// that need the test host or Chromium report "skipped, because …" where the machine cannot
// run them; with HOMEMAIL_REQUIRE_HOST=1 / HOMEMAIL_REQUIRE_BROWSER=1 (set by .ci/run) a
// skipped test in those suites is a failure, never a silent pass.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { hostPlatforms } from './hostPlatforms.mjs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const reports = path.resolve('test/artifacts/reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const steps = [
  { name: 'typecheck', command: [npx, 'tsc', '-p', 'tsconfig.json'], then: [npx, 'tsc', '-p', 'renderer/tsconfig.json'] },
  { name: 'lint', command: [npx, 'eslint', '.', '--max-warnings=0'] },
  { name: 'build', command: [process.execPath, 'scripts/build.mjs'] },
  { name: 'unit', vitest: 'vitest.config.ts' },
  // The host suites once per platform (test/host/README.md), each on its own Debian release.
  ...hostPlatforms().map((platform) => ({
    name: `host-${platform}`,
    group: 'host',
    vitest: 'vitest.host.config.ts',
    env: { HOMEMAIL_HOST_PLATFORM: platform },
    required: process.env.HOMEMAIL_REQUIRE_HOST === '1',
  })),
  { name: 'e2e', vitest: 'vitest.e2e.config.ts', required: process.env.HOMEMAIL_REQUIRE_BROWSER === '1' },
  { name: 'electron', vitest: 'vitest.electron.config.ts' },
  { name: 'security', command: [process.execPath, 'scripts/electronegativity.mjs'] },
];

const only = process.argv.slice(2);
const summary = [];
let totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name) && !only.includes(step.group)) continue;
  console.log(`\n━━ ${step.name} ━━`);
  const started = performance.now();
  const took = () => `${Math.round((performance.now() - started) / 1000)} s`;
  if (step.vitest) {
    if (!existsSync(step.vitest)) {
      summary.push(`${step.name}: MISSING (${step.vitest})`);
      ok = false;
      continue;
    }
    const output = path.join(reports, `${step.name}.json`);
    const run = spawnSync(npx, ['vitest', 'run', '--config', step.vitest, '--reporter=default', '--reporter=json', `--outputFile.json=${output}`], {
      stdio: 'inherit',
      env: { ...process.env, ...step.env },
    });
    const result = readVitestReport(output);
    if (!result) {
      summary.push(`${step.name}: no report (exit ${run.status})`);
      ok = false;
      continue;
    }
    totals = { passed: totals.passed + result.passed, failed: totals.failed + result.failed, skipped: totals.skipped + result.skipped };
    let verdict = run.status === 0 ? 'ok' : 'FAILED';
    if (result.passed + result.failed === 0 && result.skipped === 0) verdict = 'FAILED (no tests ran)';
    if (step.required && result.skipped > 0) verdict = `FAILED (${result.skipped} skipped but required: ${result.skippedNames.slice(0, 3).join('; ')})`;
    if (verdict !== 'ok') ok = false;
    const skippedNote = result.skipped > 0 && !step.required ? ` — skipped: ${result.skippedNames.slice(0, 2).join('; ')}` : '';
    summary.push(`${step.name}: ${verdict} — ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped${skippedNote} (${took()})`);
  } else {
    const [command, ...args] = step.command;
    let run = spawnSync(command, args, { stdio: 'inherit' });
    if (run.status === 0 && step.then) {
      const [then, ...thenArgs] = step.then;
      run = spawnSync(then, thenArgs, { stdio: 'inherit' });
    }
    if (run.status !== 0) ok = false;
    summary.push(`${step.name}: ${run.status === 0 ? 'ok' : `FAILED (exit ${run.status})`} (${took()})`);
  }
}

console.log('\n━━ summary ━━');
for (const line of summary) console.log(`  ${line}`);
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok ? 0 : 1);

function readVitestReport(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const skippedNames = [];
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') skippedNames.push(test.fullName);
    }
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    skippedNames,
  };
}
