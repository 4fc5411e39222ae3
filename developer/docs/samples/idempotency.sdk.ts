import { randomUUID } from "node:crypto";

import { InstantReply } from "@instantreply/sdk";

// Every write gets an Idempotency-Key that the client's own retries (network errors,
// 429, 503, IDEMPOTENCY_KEY_IN_USE) reuse. To retry later, from another process, keep
// the key with the job and send it again:
const ir = new InstantReply({
  apiKey: process.env.INSTANTREPLY_API_KEY!,
  baseUrl: "__BASE_URL__",
});
const key = randomUUID();

for (const attempt of ["first", "retry"]) { // the retry stands for one after a lost response
  const { data, response } = await ir.client.POST("/v1/conversations/{id}/messages", {
    params: { path: { id: process.env.CONVERSATION_ID! } },
    body: { text: "Thanks, Ana! Your order ships today." },
    headers: { "Idempotency-Key": key },
  });
  const replayed = response.headers.get("Idempotent-Replayed") ?? "false";
  console.log(response.status, data!.data.id, data!.data.status, "replayed:", replayed);
}
