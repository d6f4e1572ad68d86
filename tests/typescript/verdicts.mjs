// Zod's verdict on every sample of <work>/samples.json (`[{ service, type, samples }]`):
// prints `[[true, false, ...], ...]`, one list per entry, for tests/typescript.rs to hold
// against the `jsonschema` crate's verdicts on the same samples.
//
// Usage: node verdicts.mjs <work dir>

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { loadPackage } from "./harness.mjs";

const work = process.argv[2];
const entries = JSON.parse(readFileSync(join(work, "samples.json"), "utf8"));
const packages = {};
const verdicts = [];
for (const { service, type, samples } of entries) {
  packages[service] ??= await loadPackage(work, service);
  const schema = packages[service][`${type}Schema`];
  if (schema === undefined) throw new Error(`${service} exports no ${type}Schema`);
  verdicts.push(samples.map((sample) => schema.safeParse(sample).success));
}
process.stdout.write(JSON.stringify(verdicts));
