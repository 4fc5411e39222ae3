const BASE_URL = "__BASE_URL__";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class InstantReplyError extends Error {
  constructor(status, error) {
    super(`${error.code}: ${error.message} (request ${error.request_id})`);
    Object.assign(this, { status, ...error });
  }
}

// GETs are safe to retry; retry a POST/PATCH/DELETE only with an Idempotency-Key.
async function call(method, path, body, attempts = 4) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${BASE_URL}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${process.env.INSTANTREPLY_API_KEY}`,
        ...(body && { "Content-Type": "application/json" }),
      },
      body: body && JSON.stringify(body),
    });
    const transient = response.status === 429 || response.status >= 500;
    if (transient && attempt + 1 < attempts) {
      await sleep(Number(response.headers.get("Retry-After") ?? 2 ** attempt) * 1000);
      continue;
    }
    const payload = await response.json();
    if (!response.ok) throw new InstantReplyError(response.status, payload.error);
    return payload;
  }
}

try {
  await call("GET", "/v1/contacts/cont_00000000000000000000000000000000");
} catch (error) {
  if (!(error instanceof InstantReplyError)) throw error;
  console.log(error.status, error.code, error.request_id);
  console.log(error.message);
  console.log("details:", JSON.stringify(error.details), "docs:", error.doc_url);
}
