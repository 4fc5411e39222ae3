import { InstantReply, InstantReplyError } from "@instantreply/sdk";

const ir = new InstantReply({
  apiKey: process.env.INSTANTREPLY_API_KEY!,
  baseUrl: "__BASE_URL__",
});

try {
  await ir.client.GET("/v1/contacts/{id}", {
    params: { path: { id: "cont_00000000000000000000000000000000" } },
  });
} catch (error) {
  if (!(error instanceof InstantReplyError)) throw error;
  console.log(error.status, error.code, error.request_id); // quote request_id to support
  console.log(error.message);
  console.log("details:", error.details, "docs:", error.doc_url);
}
