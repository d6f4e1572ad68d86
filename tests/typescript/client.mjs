// The generated TypeScript client of the subscription service: against a generated Rust
// server (started by tests/typescript.rs), then against a scripted local server for the
// retry rules the Rust client follows.
//
// Usage: node client.mjs <work dir> <base URL of the Rust server> <API key>

import assert from "node:assert/strict";
import { createServer } from "node:http";

import { check, finish, loadPackage } from "./harness.mjs";

const [work, baseUrl, apiKey] = process.argv.slice(2);
const { SubscriptionServiceClient, AppError } = await loadPackage(work, "subscription");

const USER = "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d";
const MEMBER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

/** A fetch that records every answer's headers. */
function recordingFetch() {
  const answers = [];
  const wrapped = async (input, init) => {
    const response = await fetch(input, init);
    answers.push({ status: response.status, headers: response.headers });
    return response;
  };
  return { fetch: wrapped, answers };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected the call to fail");
}

// --- Against the generated Rust server -------------------------------------------------

await check("a success, its answer checked by the response schema", async () => {
  const client = new SubscriptionServiceClient({ baseUrl, apiKey, serviceName: "session" });
  const answer = await client.checkAccess({ userId: MEMBER, feature: "sauna" }, { correlationId: "ts-check-success" });
  assert.equal(answer.hasAccess, true);
  assert.equal(answer.subscription.plan, "premium");
  assert.deepEqual(answer.subscription.features, ["gym_access", "sauna"]);
  const refused = await client.checkAccess({ userId: USER });
  assert.deepEqual(refused, { hasAccess: false, reason: "no_subscription" });
});

await check("the correlation id is sent and echoed", async () => {
  const recording = recordingFetch();
  const client = new SubscriptionServiceClient({ baseUrl, apiKey, serviceName: "session", fetch: recording.fetch });
  await client.checkAccess({ userId: MEMBER }, { correlationId: "ts-check-correlation-1" });
  assert.equal(recording.answers.length, 1);
  assert.equal(recording.answers[0].headers.get("x-correlation-id"), "ts-check-correlation-1");
});

await check("a 422 from the server becomes an AppError with its violations", async () => {
  // Client-side validation off, so the server is the one that refuses.
  const client = new SubscriptionServiceClient({ baseUrl, apiKey, serviceName: "session", validateRequests: false });
  const error = await rejection(client.checkAccess({ userId: "not-a-uuid" }, { correlationId: "ts-check-422" }));
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.kind, "Validation");
  assert.equal(error.status, 422);
  assert.equal(error.code, "VALIDATION_FAILED");
  assert.equal(error.correlationId, "ts-check-422");
  assert.ok(
    error.violations.some((violation) => violation.pointer === "/userId" && violation.keyword === "format"),
    JSON.stringify(error.violations),
  );
});

await check("the same request is refused before sending when validation is on", async () => {
  const recording = recordingFetch();
  const client = new SubscriptionServiceClient({ baseUrl, apiKey, serviceName: "session", fetch: recording.fetch });
  const error = await rejection(client.checkAccess({ userId: "not-a-uuid" }));
  assert.equal(error.kind, "Validation");
  assert.equal(error.code, "REQUEST_INVALID");
  assert.equal(error.violations[0].pointer, "/userId");
  assert.equal(recording.answers.length, 0);
});

await check("a missing property is `required` at its own pointer, on both sides alike", async () => {
  // The Rust server's verdict (client-side validation off) and the client's own.
  const unchecked = new SubscriptionServiceClient({ baseUrl, apiKey, serviceName: "session", validateRequests: false });
  const server = await rejection(unchecked.checkAccess({ feature: "sauna" }));
  assert.equal(server.code, "VALIDATION_FAILED");
  const checked = new SubscriptionServiceClient({ baseUrl, apiKey, serviceName: "session" });
  const client = await rejection(checked.checkAccess({ feature: "sauna" }));
  assert.equal(client.code, "REQUEST_INVALID");
  const expected = [{ pointer: "/userId", keyword: "required", message: "missing required property `userId`" }];
  assert.deepEqual(server.violations, expected);
  assert.deepEqual(client.violations, expected);
});

await check("a wrong key is a 401 AppError, not retried", async () => {
  const recording = recordingFetch();
  const client = new SubscriptionServiceClient({
    baseUrl,
    apiKey: "wrong-key",
    serviceName: "session",
    fetch: recording.fetch,
  });
  const error = await rejection(client.checkAccess({ userId: USER }, { correlationId: "ts-check-401" }));
  assert.ok(error instanceof AppError);
  assert.equal(error.kind, "Unauthorized");
  assert.equal(error.status, 401);
  assert.equal(error.correlationId, "ts-check-401");
  assert.equal(recording.answers.length, 1);
});

await check("a caller outside the allow-list is a 403", async () => {
  const client = new SubscriptionServiceClient({ baseUrl, apiKey, serviceName: "payment" });
  const error = await rejection(client.checkAccess({ userId: USER }));
  assert.equal(error.kind, "Forbidden");
  assert.equal(error.status, 403);
});

await check("path parameters are checked and encoded", async () => {
  const client = new SubscriptionServiceClient({ baseUrl, apiKey, serviceName: "session" });
  const error = await rejection(client.getSubscription("../plans"));
  assert.equal(error.code, "REQUEST_INVALID");
  assert.equal(error.violations[0].pointer, "/subscriptionId");
});

// --- Against a scripted server: the retry rules ------------------------------------------

/** A local server answering each request with the next scripted answer; records requests. */
async function scripted(answers) {
  const requests = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      requests.push({ method: request.method, url: request.url, headers: request.headers, body });
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
      if (answer === "hang") return;
      response.writeHead(answer.status, { "content-type": answer.type ?? "application/json", ...answer.headers });
      response.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    requests,
    client: (settings = {}) =>
      new SubscriptionServiceClient({
        baseUrl: `http://127.0.0.1:${port}/`,
        apiKey: "scripted-key",
        serviceName: "session",
        retry: { initialBackoffMs: 1, maxBackoffMs: 5 },
        ...settings,
      }),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const subscription = {
  id: "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f",
  userId: USER,
  planId: "0e8c1e0a-9d1b-4c58-a7a3-5b0f7f1f2a11",
  plan: "premium",
  status: "active",
  billingInterval: "month",
  price: { amountMinor: 4999, currency: "EUR" },
  homeGymId: null,
  currentPeriodStart: "2026-03-01T00:00:00Z",
  currentPeriodEnd: "2026-04-01T00:00:00Z",
  cancelAtPeriodEnd: false,
  features: ["gym_access"],
  createdAt: "2026-02-01T08:30:00Z",
};
const unavailable = { status: 503, type: "application/problem+json", body: { title: "Service Unavailable", status: 503, code: "SERVICE_UNAVAILABLE" } };

await check("a safe operation is retried on 503, with the same correlation id and a fresh service id", async () => {
  const server = await scripted([unavailable, { status: 502 }, { status: 200, body: subscription }]);
  try {
    const answer = await server.client().getSubscription(subscription.id, { correlationId: "ts-retry-1" });
    assert.equal(answer.id, subscription.id);
    assert.equal(server.requests.length, 3);
    const headers = server.requests.map((request) => request.headers);
    assert.ok(headers.every((h) => h["x-correlation-id"] === "ts-retry-1"));
    assert.equal(new Set(headers.map((h) => h["x-service-id"])).size, 3);
    assert.ok(headers.every((h) => h["x-api-key"] === "scripted-key" && h["x-service-name"] === "session"));
    assert.equal(headers[0]["accept"], "application/json, application/problem+json");
    assert.equal(server.requests[0].url, `/internal/subscriptions/${subscription.id}`);
  } finally {
    await server.close();
  }
});

await check("attempts stop at maxAttempts", async () => {
  const server = await scripted([unavailable]);
  try {
    const error = await rejection(server.client().getSubscription(subscription.id));
    assert.equal(error.kind, "Unavailable");
    assert.equal(server.requests.length, 3);
  } finally {
    await server.close();
  }
});

await check("an unsafe operation is never retried", async () => {
  const server = await scripted([unavailable, { status: 200, body: subscription }]);
  try {
    const error = await rejection(server.client().cancelSubscription(subscription.id, { reason: "too_expensive" }));
    assert.equal(error.kind, "Unavailable");
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

await check("a keyed operation keeps one Idempotency-Key across its retries", async () => {
  const server = await scripted([{ status: 429, headers: { "retry-after": "0" } }, { status: 504 }, { status: 201, body: subscription }]);
  try {
    const request = { userId: USER, planId: subscription.planId, billingInterval: "month" };
    await server.client().createSubscription(request);
    assert.equal(server.requests.length, 3);
    const keys = server.requests.map((r) => r.headers["idempotency-key"]);
    assert.ok(keys[0] && keys.every((key) => key === keys[0]), JSON.stringify(keys));
    // The body sent is the parsed request: defaults filled in.
    assert.deepEqual(JSON.parse(server.requests[0].body), { ...request, skipTrial: false });
    const again = await scripted([{ status: 201, body: subscription }]);
    try {
      await again.client().createSubscription(request);
      assert.notEqual(again.requests[0].headers["idempotency-key"], keys[0]);
    } finally {
      await again.close();
    }
  } finally {
    await server.close();
  }
});

await check("client errors are not retried; their problem is decoded", async () => {
  const server = await scripted([
    { status: 404, type: "application/problem+json", body: { title: "Not Found", status: 404, code: "SUBSCRIPTION_NOT_FOUND", detail: "no such subscription", correlationId: "abc" } },
  ]);
  try {
    const error = await rejection(server.client().getSubscription(subscription.id));
    assert.equal(error.kind, "NotFound");
    assert.equal(error.code, "SUBSCRIPTION_NOT_FOUND");
    assert.equal(error.message, "no such subscription");
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

await check("a Retry-After beyond the cap ends the call", async () => {
  const server = await scripted([{ ...unavailable, headers: { "retry-after": "120" } }, { status: 200, body: subscription }]);
  try {
    const error = await rejection(server.client().getSubscription(subscription.id));
    assert.equal(error.kind, "Unavailable");
    assert.equal(error.retryAfterMs, 120_000);
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

await check("an attempt that outlives its timeout is aborted and is a Timeout", async () => {
  const server = await scripted(["hang"]);
  try {
    const started = Date.now();
    const error = await rejection(
      server.client({ attemptTimeoutMs: 100, retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 1 } }).getSubscription(subscription.id),
    );
    assert.equal(error.kind, "Timeout");
    assert.equal(error.code, "UPSTREAM_TIMEOUT");
    assert.equal(server.requests.length, 2);
    assert.ok(Date.now() - started < 5_000);
  } finally {
    await server.close();
  }
});

await check("an answer that breaks its contract is an InvalidResponse with violations", async () => {
  const server = await scripted([{ status: 200, body: { ...subscription, plan: "platinum" } }]);
  try {
    const error = await rejection(server.client().getSubscription(subscription.id));
    assert.equal(error.kind, "InvalidResponse");
    assert.equal(error.code, "INVALID_RESPONSE");
    assert.equal(error.violations[0].pointer, "/plan");
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

await check("a query is sent as its parsed fields", async () => {
  const server = await scripted([{ status: 200, body: { plans: [] } }]);
  try {
    await server.client().listPlans({ tier: "premium" });
    const url = new URL(server.requests[0].url, "http://localhost");
    assert.equal(url.pathname, "/internal/plans");
    assert.equal(url.searchParams.get("tier"), "premium");
    assert.equal(url.searchParams.get("includeInactive"), "false");
  } finally {
    await server.close();
  }
});

await check("an unreachable upstream is Unavailable", async () => {
  const server = await scripted([{ status: 200 }]);
  const client = server.client({ retry: { maxAttempts: 1 } });
  await server.close();
  const error = await rejection(client.getSubscription(subscription.id));
  assert.equal(error.kind, "Unavailable");
  assert.equal(error.code, "UPSTREAM_UNREACHABLE");
});

finish("client");
