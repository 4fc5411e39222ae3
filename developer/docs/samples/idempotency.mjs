import { randomUUID } from "node:crypto";

const BASE_URL = "__BASE_URL__";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Retries the same request with the same Idempotency-Key: the API runs it once
// and answers every retry with the stored result (Idempotent-Replayed: true).
async function postWithRetries(path, body, idempotencyKey = randomUUID(), attempts = 5) {
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(`${BASE_URL}${path}`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${process.env.INSTANTREPLY_API_KEY}`,
          "Content-Type": "application/json",
          "Idempotency-Key": idempotencyKey,
        },
        body: JSON.stringify(body),
      });
    } catch (networkError) {
      if (attempt + 1 >= attempts) throw networkError;
      await sleep(2 ** attempt * 1000);
      continue;
    }
    const code = response.status === 409 ? (await response.clone().json()).error.code : null;
    const retryable =
      code === "IDEMPOTENCY_KEY_IN_USE" || response.status === 429 || response.status >= 500;
    if (retryable && attempt + 1 < attempts) {
      const wait = Number(response.headers.get("Retry-After") ?? 2 ** attempt);
      await sleep(wait * 1000);
      continue;
    }
    return response;
  }
}

const path = `/v1/conversations/${process.env.CONVERSATION_ID}/messages`;
const body = { text: "Thanks, Ana! Your order ships today." };
const key = randomUUID();
const first = await postWithRetries(path, body, key);
const retry = await postWithRetries(path, body, key); // e.g. after a lost response
const a = (await first.json()).data;
const b = (await retry.json()).data;
console.log(first.status, a.id, a.status);
console.log(retry.status, b.id, "replayed:", retry.headers.get("Idempotent-Replayed"));
