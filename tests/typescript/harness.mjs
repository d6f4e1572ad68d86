// A tiny test harness for the checks: named cases, every failure reported, exit status 1
// when any failed, so the Rust test that runs the script fails with the list.

import { pathToFileURL } from "node:url";
import { join } from "node:path";

const failures = [];
let passed = 0;

/** Runs one named case; an exception or a failed assertion marks it failed. */
export async function check(name, body) {
  try {
    await body();
    passed += 1;
  } catch (error) {
    failures.push(`${name}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
}

/** Loads a generated package's compiled index from the work directory. */
export function loadPackage(work, service) {
  return import(pathToFileURL(join(work, "packages", service, "dist", "index.js")).href);
}

/** Prints the tally and exits: 0 when every case passed, 1 otherwise. */
export function finish(label) {
  for (const failure of failures) console.error(`FAILED ${failure}`);
  console.log(`${label}: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length === 0 && passed > 0 ? 0 : 1);
}
