import { createHmac, timingSafeEqual } from "node:crypto";

// headers: the delivery's headers (lower-case names); rawBody: the exact bytes received.
function verifyWebhook(secret, headers, rawBody, toleranceSeconds = 300) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key)
    .update(`${id}.${timestamp}.`)
    .update(rawBody)
    .digest();
  // During a secret rotation two signatures arrive, space separated: one must match.
  return headers["webhook-signature"].split(" ").some((candidate) => {
    const [version, signature] = candidate.split(",");
    const given = Buffer.from(signature ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

// e.g. in Express: app.post("/webhooks", express.raw({ type: "*/*" }), (req, res) => ...)
const ok = verifyWebhook(
  process.env.WEBHOOK_SECRET,
  {
    "webhook-id": process.env.WEBHOOK_ID,
    "webhook-timestamp": process.env.WEBHOOK_TIMESTAMP,
    "webhook-signature": process.env.WEBHOOK_SIGNATURE,
  },
  Buffer.from(process.env.WEBHOOK_BODY, "utf8"),
);
console.log(ok ? "valid" : "invalid");
process.exitCode = ok ? 0 : 1;
