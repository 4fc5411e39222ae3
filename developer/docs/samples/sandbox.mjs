const BASE_URL = "__BASE_URL__";

const response = await fetch(`${BASE_URL}/v1/developer/simulate/inbound`, {
  method: "POST",
  headers: {
    Authorization: `Bearer ${process.env.INSTANTREPLY_API_KEY}`,
    "Content-Type": "application/json",
  },
  body: JSON.stringify({
    channel_id: process.env.CHANNEL_ID,
    from: { external_id: "15551230001", name: "Ana" },
    text: "Hi! Where is my order?",
  }),
});
const { data: message } = await response.json();
console.log(response.status, message.id, message.conversation_id);
