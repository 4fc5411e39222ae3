import { InstantReply } from "@instantreply/sdk";

const ir = new InstantReply({
  apiKey: process.env.INSTANTREPLY_API_KEY!,
  baseUrl: "__BASE_URL__",
});

const { data } = await ir.client.POST("/v1/developer/simulate/inbound", {
  body: {
    channel_id: process.env.CHANNEL_ID!,
    from: { external_id: "15551230001", name: "Ana" },
    text: "Hi! Where is my order?",
  },
});
console.log(data!.data.id, data!.data.conversation_id);
