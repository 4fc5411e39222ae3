import { InstantReply } from "@instantreply/sdk";

const ir = new InstantReply({
  apiKey: process.env.INSTANTREPLY_API_KEY!,
  baseUrl: "__BASE_URL__",
});

const { data } = await ir.client.GET("/v1/developer/capabilities");
console.log(data!.data.key.mode, data!.data.workspace.id, data!.data.scopes.join(","));
