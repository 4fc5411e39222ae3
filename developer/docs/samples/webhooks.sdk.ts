import { verifyWebhook, WebhookVerificationError } from "@instantreply/sdk";

// e.g. in Express: app.post("/webhooks", express.raw({ type: "*/*" }), (req, res) =>
//   verifyWebhook(req.body, req.headers, secret) ...)
const headers = {
  "webhook-id": process.env.WEBHOOK_ID!,
  "webhook-timestamp": process.env.WEBHOOK_TIMESTAMP!,
  "webhook-signature": process.env.WEBHOOK_SIGNATURE!,
};
try {
  verifyWebhook(process.env.WEBHOOK_BODY!, headers, process.env.WEBHOOK_SECRET!);
  console.log("valid");
} catch (error) {
  if (!(error instanceof WebhookVerificationError)) throw error;
  console.log("invalid:", error.message);
  process.exitCode = 1;
}
