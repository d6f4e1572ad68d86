// The generated Zod schemas against valid and invalid samples: every example in the
// contracts, then the keywords where TypeScript and Zod differ from JSON Schema by default
// (lengths in code points, integer bounds, RFC 3339 formats, null versus absent, strict
// objects, tagged unions, unique items, defaults, recursion).
//
// Usage: node schemas.mjs <work dir>   (packages compiled under <work>/packages/<service>/dist,
// the contracts' examples in <work>/examples.json)

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { check, finish, loadPackage } from "./harness.mjs";

const work = process.argv[2];
const examples = JSON.parse(readFileSync(join(work, "examples.json"), "utf8"));
const packages = {};
for (const service of Object.keys(examples)) packages[service] = await loadPackage(work, service);
const sampler = await loadPackage(work, "sampler");

const valid = (schema, value) => {
  const result = schema.safeParse(value);
  assert.ok(result.success, `expected valid: ${JSON.stringify(value)}\n${result.error?.message}`);
  return result.data;
};
const invalid = (schema, value, pointer) => {
  const result = schema.safeParse(value);
  assert.ok(!result.success, `expected invalid: ${JSON.stringify(value)}`);
  if (pointer !== undefined) {
    const pointers = result.error.issues.map((issue) => `/${issue.path.join("/")}`);
    assert.ok(pointers.includes(pointer), `expected an issue at ${pointer}, got ${pointers.join(", ")}`);
  }
};

// One runtime under every package: its classes are the ones each package re-exports.
await check("service packages share one @solo60/runtime", async () => {
  const runtime = await loadPackage(work, "runtime");
  for (const [service, exports] of [...Object.entries(packages), ["sampler", sampler]]) {
    assert.equal(exports.AppError, runtime.AppError, service);
    assert.equal(exports.ConfigError, runtime.ConfigError, service);
    assert.equal(exports.ERROR_KINDS, runtime.ERROR_KINDS, service);
  }
  assert.equal(runtime.codePoints("😀é"), 2);
});

// Every example of every contract type parses with its schema.
for (const [service, types] of Object.entries(examples)) {
  for (const [type, values] of Object.entries(types)) {
    values.forEach((value, index) => {
      check(`${service}.${type} example ${index}`, () => {
        const schema = packages[service][`${type}Schema`];
        assert.ok(schema, `${service} exports no ${type}Schema`);
        valid(schema, value);
      });
    });
  }
}

const { PlanSchema, SubscriptionSchema, CheckSubscriptionAccessRequestSchema, CreateSubscriptionRequestSchema } =
  packages.subscription;
const plan = {
  id: "0e8c1e0a-9d1b-4c58-a7a3-5b0f7f1f2a11",
  tier: "premium",
  name: "Premium",
  prices: [{ interval: "month", price: { amountMinor: 4999, currency: "EUR" } }],
  features: ["gym_access"],
  maxSessionsPerMonth: null,
  trialDays: 14,
  active: true,
};
const subscription = {
  id: "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f",
  userId: "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d",
  planId: "0e8c1e0a-9d1b-4c58-a7a3-5b0f7f1f2a11",
  plan: "premium",
  status: "active",
  billingInterval: "month",
  price: { amountMinor: 4999, currency: "EUR" },
  homeGymId: null,
  currentPeriodStart: "2026-03-01T00:00:00Z",
  currentPeriodEnd: "2026-04-01T00:00:00+02:00",
  cancelAtPeriodEnd: false,
  features: ["gym_access", "sauna"],
  createdAt: "2026-02-01T08:30:00.123Z",
};

await check("lengths count code points, not UTF-16 units", () => {
  valid(PlanSchema, { ...plan, name: "😀".repeat(80) }); // 80 code points, 160 UTF-16 units
  valid(PlanSchema, { ...plan, name: "é".repeat(80) });
  invalid(PlanSchema, { ...plan, name: "😀".repeat(81) }, "/name");
  invalid(PlanSchema, { ...plan, name: "" }, "/name");
});

await check("integer bounds and integer-ness", () => {
  valid(PlanSchema, { ...plan, trialDays: 0 });
  valid(PlanSchema, { ...plan, trialDays: 90 });
  invalid(PlanSchema, { ...plan, trialDays: 91 }, "/trialDays");
  invalid(PlanSchema, { ...plan, trialDays: -1 }, "/trialDays");
  invalid(PlanSchema, { ...plan, trialDays: 1.5 }, "/trialDays");
  invalid(PlanSchema, { ...plan, trialDays: "1" }, "/trialDays");
  invalid(PlanSchema, { ...plan, prices: [] }, "/prices");
});

await check("patterns", () => {
  invalid(PlanSchema, { ...plan, prices: [{ interval: "month", price: { amountMinor: 1, currency: "eur" } }] });
  invalid(PlanSchema, { ...plan, features: ["Gym"] }, "/features/0");
});

await check("formats: uuid and RFC 3339 date-time as the Rust runtime reads them", () => {
  valid(SubscriptionSchema, subscription);
  valid(SubscriptionSchema, { ...subscription, createdAt: "2026-12-31t23:59:60z" });
  invalid(SubscriptionSchema, { ...subscription, id: "not-a-uuid" }, "/id");
  invalid(SubscriptionSchema, { ...subscription, createdAt: "2026-02-30T00:00:00Z" }, "/createdAt");
  invalid(SubscriptionSchema, { ...subscription, createdAt: "2026-03-01 00:00:00Z" }, "/createdAt");
  invalid(SubscriptionSchema, { ...subscription, createdAt: "2026-03-01T00:00Z" }, "/createdAt");
  invalid(SubscriptionSchema, { ...subscription, createdAt: "2026-03-01T00:00:00" }, "/createdAt");
  invalid(SubscriptionSchema, { ...subscription, createdAt: "2026-03-01T12:00:60Z" }, "/createdAt");
});

await check("null and absent stay distinct", () => {
  // homeGymId: required and nullable; cancelledAt: optional and nullable; trialEndsAt: optional only.
  invalid(SubscriptionSchema, (({ homeGymId, ...rest }) => rest)(subscription), "/homeGymId");
  valid(SubscriptionSchema, { ...subscription, cancelledAt: null });
  const absent = valid(SubscriptionSchema, subscription);
  assert.ok(!("cancelledAt" in absent));
  invalid(SubscriptionSchema, { ...subscription, trialEndsAt: null }, "/trialEndsAt");
});

await check("unique items", () => {
  invalid(SubscriptionSchema, { ...subscription, features: ["sauna", "sauna"] }, "/features");
});

await check("additionalProperties: false is a strict object; otherwise unknown keys are dropped", () => {
  const request = {
    userId: "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d",
    planId: "0e8c1e0a-9d1b-4c58-a7a3-5b0f7f1f2a11",
    billingInterval: "year",
  };
  valid(CreateSubscriptionRequestSchema, request);
  invalid(CreateSubscriptionRequestSchema, { ...request, surprise: true });
  const parsed = valid(CheckSubscriptionAccessRequestSchema, { userId: request.userId, surprise: true });
  assert.deepEqual(parsed, { userId: request.userId });
});

await check("defaults fill absent properties", () => {
  const parsed = valid(CreateSubscriptionRequestSchema, {
    userId: "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d",
    planId: "0e8c1e0a-9d1b-4c58-a7a3-5b0f7f1f2a11",
    billingInterval: "year",
  });
  assert.equal(parsed.skipTrial, false);
});

await check("enums", () => {
  invalid(PlanSchema, { ...plan, tier: "platinum" }, "/tier");
});

await check("discriminated unions pick the branch by tag", () => {
  const { NotificationPayloadSchema } = packages.communication;
  valid(NotificationPayloadSchema, { channel: "sms", body: "See you at 7." });
  invalid(NotificationPayloadSchema, { channel: "fax", body: "See you at 7." }, "/channel");
  invalid(NotificationPayloadSchema, { body: "See you at 7." });
  const { PaymentMethodSchema } = packages.payment;
  invalid(PaymentMethodSchema, { type: "card" });
});

await check("recursive types validate at every depth", () => {
  const { AreaSchema } = packages.gym;
  const leaf = { id: "6c7d8e9f-a0b1-4c23-9d4e-f5a6b7c8d9e0", name: "Studio A", kind: "studio", bookable: true, subAreas: [] };
  valid(AreaSchema, { ...leaf, kind: "floor", subAreas: [{ ...leaf, subAreas: [leaf] }] });
  invalid(AreaSchema, { ...leaf, subAreas: [{ ...leaf, subAreas: [{ ...leaf, capacity: 0 }] }] }, "/subAreas/0/subAreas/0/capacity");
  invalid(AreaSchema, { ...leaf, capacity: 2 ** 31 }, "/capacity");
});

await check("allOf: both parts hold", () => {
  const { UserSchema } = packages.user;
  const user = examples.user.User[0];
  valid(UserSchema, user);
  invalid(UserSchema, { ...user, createdAt: "yesterday" }, "/createdAt");
  invalid(UserSchema, { ...user, id: "nope" }, "/id");
});

await check("email format (RFC 5321 mailbox, as the Rust runtime reads it)", () => {
  const { EmailSchema } = packages.user;
  for (const address of ["ana@solo60.dev", "a.b+tag@mail.solo60.dev", '"a b"@solo60.dev', "x@[127.0.0.1]", "x@[IPv6:::1]"]) {
    valid(EmailSchema, address);
  }
  for (const address of ["no-at-sign", "a b@solo60.dev", "a..b@solo60.dev", "a@-solo60.dev", "a@", `${"a".repeat(65)}@solo60.dev`]) {
    invalid(EmailSchema, address);
  }
});

await check("sampler: oneOf without a tag matches exactly one branch", () => {
  valid(sampler.HalfStepSchema, 0.5); // the number branch only
  valid(sampler.HalfStepSchema, 7.5);
  invalid(sampler.HalfStepSchema, 1); // both branches
  invalid(sampler.HalfStepSchema, 0.3); // neither
  valid(sampler.HalfStepSchema, -1); // the number branch only: below the integer branch's minimum
  invalid(sampler.HalfStepSchema, "1");
});

await check("sampler: keywords without `type` let other JSON types through", () => {
  valid(sampler.ShortIfStringSchema, "ab");
  invalid(sampler.ShortIfStringSchema, "a");
  invalid(sampler.ShortIfStringSchema, "😀"); // one code point
  for (const other of [1, null, true, [], {}]) valid(sampler.ShortIfStringSchema, other);
});

await check("sampler: const and enum of any JSON values", () => {
  valid(sampler.OriginSchema, { y: [0], x: 0 });
  invalid(sampler.OriginSchema, { x: 0, y: [0], z: 1 });
  invalid(sampler.OriginSchema, { x: 0, y: [] });
  for (const value of [1, 2.5, "high", null, true]) valid(sampler.LevelSchema, value);
  for (const value of [2, "low", false, "1"]) invalid(sampler.LevelSchema, value);
});

await check("sampler: several types, each with its own keywords", () => {
  for (const value of ["abc", 9, -4, null]) valid(sampler.ScalarSchema, value);
  for (const value of ["abcd", 10, 1.5, true]) invalid(sampler.ScalarSchema, value);
});

await check("sampler: required without a schema, unlisted properties held to additionalProperties", () => {
  const parsed = valid(sampler.KeyedSchema, { name: "n", id: 3, extra: 4 });
  assert.deepEqual(parsed, { name: "n", id: 3, extra: 4 });
  invalid(sampler.KeyedSchema, { name: "n" }, "/id");
  invalid(sampler.KeyedSchema, { name: "n", id: "3" }, "/id");
  invalid(sampler.KeyedSchema, { name: "n", id: 3, extra: "x" }, "/extra");
});

await check("sampler: maps and their size", () => {
  valid(sampler.CountsSchema, { a: 1 });
  invalid(sampler.CountsSchema, {});
  invalid(sampler.CountsSchema, { a: 1, b: 2, c: 3 });
  invalid(sampler.CountsSchema, { a: -1 }, "/a");
});

await check("sampler: mutual recursion, strict objects and defaults inside it", () => {
  const tree = valid(sampler.TreeSchema, { label: "root", children: { trees: [{ label: "leaf" }] } });
  assert.equal(tree.children.count, 0);
  invalid(sampler.TreeSchema, { label: "root", children: { trees: [{ label: "leaves" }] } }, "/children/trees/0/label");
  invalid(sampler.TreeSchema, { label: "root", children: { trees: [], extra: 1 } });
  invalid(sampler.TreeSchema, { label: "root", children: { trees: [{ label: "a" }, { label: "b" }, { label: "c" }, { label: "d" }] } });
});

await check("sampler: formats", () => {
  const stamp = { day: "2024-02-29", at: "23:59:60Z", host: "solo60.dev", link: "../a?b#c", v4: "10.0.0.1", v6: "::1" };
  valid(sampler.StampSchema, stamp);
  for (const [key, bad] of [
    ["day", "2023-02-29"],
    ["at", "12:00:00"],
    ["at", "24:00:00Z"],
    ["host", "-solo60.dev"],
    ["link", "a b"],
    ["link", "%zz"],
    ["v4", "010.0.0.1"],
    ["v6", "::g"],
  ]) {
    invalid(sampler.StampSchema, { ...stamp, [key]: bad }, `/${key}`);
  }
});

await check("sampler: int32 bounds, for array items and nullable values too", () => {
  valid(sampler.SampleSchema, { widths: [2 ** 31 - 1, -(2 ** 31)], offset: null });
  invalid(sampler.SampleSchema, { widths: [1, 2 ** 31] }, "/widths/1");
  invalid(sampler.SampleSchema, { offset: -(2 ** 31) - 1 }, "/offset");
});

await check("sampler: anyOf of a format and a type", () => {
  valid(sampler.SampleSchema, { either: "ana@solo60.dev" });
  valid(sampler.SampleSchema, { either: 3 });
  invalid(sampler.SampleSchema, { either: "not an address" });
});

finish("schemas");
