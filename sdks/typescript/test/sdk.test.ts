// The TypeScript SDK against a live server. tests/sdks/test_typescript_sdk.py starts
// the server and a proxy that loses or answers chosen requests, prepares the data and
// passes it in the environment, then checks the database after these tests ran.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";

import { InstantReply, InstantReplyError, WebhookVerificationError, verifyWebhook } from "../src/index.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set (run from tests/sdks)`);
  return value;
};

const ir = new InstantReply({ apiKey: env("IR_API_KEY"), baseUrl: env("IR_BASE_URL") });

test("the seed's sample: tag active conversations whose preview mentions a refund", async () => {
  for await (const conversation of ir.paginate("/v1/conversations", {
    query: { status: "active", limit: 2 },
  })) {
    if ((conversation.last_message_preview ?? "").toLowerCase().includes("refund")) {
      await ir.client.PATCH("/v1/conversations/{id}", {
        params: { path: { id: conversation.id } },
        body: { add_tags: ["refund"] },
      });
    }
  }
});

test("a reply whose response is lost is retried with the same key and sent once", async () => {
  const { data } = await ir.client.POST("/v1/conversations/{id}/messages", {
    params: { path: { id: env("IR_REPLY_CONVERSATION") } },
    body: { text: "Thanks, Ana! Your order ships today." },
  });
  assert.equal(data?.data.text, "Thanks, Ana! Your order ships today.");
  assert.equal(data?.data.status, "queued");
});

test("503 and IDEMPOTENCY_KEY_IN_USE are retried after Retry-After", async () => {
  const started = performance.now();
  const { data: channels } = await ir.client.GET("/v1/channels");
  const { data: reply } = await ir.client.POST("/v1/conversations/{id}/messages", {
    params: { path: { id: env("IR_RETRY_CONVERSATION") } },
    body: { text: "Hi!" },
  });
  const seconds = (performance.now() - started) / 1000;
  assert.deepEqual(channels?.data.map((c) => c.id), [env("IR_CHANNEL_ID")]);
  assert.equal(reply?.data.text, "Hi!");
  assert.ok(seconds >= 2, `waited ${seconds}s`);
});

test("a Retry-After beyond maxRetryWait throws at once", async () => {
  const impatient = new InstantReply({
    apiKey: env("IR_API_KEY"),
    baseUrl: env("IR_BASE_URL"),
    maxRetryWait: 30,
  });
  const started = performance.now();
  await assert.rejects(impatient.client.GET("/v1/agents"), (error: unknown) => {
    assert.ok(error instanceof InstantReplyError);
    assert.equal(error.status, 429);
    assert.equal(error.code, "RATE_LIMITED");
    return true;
  });
  assert.ok(performance.now() - started < 1000);
});

test("a paginated walk yields every contact once", async () => {
  const walked: string[] = [];
  for await (const contact of ir.paginate("/v1/contacts", { query: { limit: 50 } })) {
    walked.push(contact.id);
  }
  const expected = env("IR_CONTACT_IDS").split(",");
  assert.equal(walked.length, expected.length);
  assert.deepEqual(new Set(walked), new Set(expected));
});

test("errors are typed with the envelope", async () => {
  const id = "msg_01a20dbdcf337e61ad83103382121acd";
  await assert.rejects(
    ir.client.GET("/v1/messages/{id}", { params: { path: { id } } }),
    (error: unknown) => {
      assert.ok(error instanceof InstantReplyError);
      assert.equal(error.status, 404);
      assert.equal(error.code, "RESOURCE_NOT_FOUND");
      assert.match(error.request_id ?? "", /^req_[0-9a-f]{32}$/);
      assert.ok(error.doc_url?.endsWith("/errors#RESOURCE_NOT_FOUND"));
      assert.ok(error.message.includes(id));
      assert.deepEqual(error.details, []);
      return true;
    },
  );
  await assert.rejects(
    ir.client.PATCH("/v1/conversations/{id}", {
      params: { path: { id: env("IR_RETRY_CONVERSATION") } },
      body: { add_tags: ["not a tag!"] },
    }),
    (error: unknown) => {
      assert.ok(error instanceof InstantReplyError);
      assert.equal(error.code, "VALIDATION_ERROR");
      assert.deepEqual(
        error.details.map((d) => d.field),
        ["add_tags[0]"],
      );
      return true;
    },
  );
});

test("a webhook delivery verifies with the endpoint's secret", async () => {
  const deliveries: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const receiver = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      deliveries.push({ body, headers: request.headers });
      response.writeHead(204, { Connection: "close" }).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  try {
    const { data: created } = await ir.client.POST("/v1/webhooks", {
      body: { url: `http://127.0.0.1:${port}/hooks`, events: ["*"] },
    });
    const endpoint = created!.data;
    await ir.client.POST("/v1/webhooks/{id}/test", { params: { path: { id: endpoint.id } } });

    assert.equal(deliveries.length, 1);
    const [{ body, headers }] = deliveries;
    const event = verifyWebhook(body, headers, endpoint.secret) as {
      type: string;
      data: { endpoint_id: string };
    };
    assert.equal(event.type, "webhook.test");
    assert.equal(event.data.endpoint_id, endpoint.id);
    assert.throws(() => verifyWebhook(`${body} `, headers, endpoint.secret), WebhookVerificationError);
    assert.throws(
      () => verifyWebhook(body, headers, `whsec_${"A".repeat(32)}`),
      WebhookVerificationError,
    );
  } finally {
    receiver.close();
  }
});
