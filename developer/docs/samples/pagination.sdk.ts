import { InstantReply } from "@instantreply/sdk";

const ir = new InstantReply({
  apiKey: process.env.INSTANTREPLY_API_KEY!,
  baseUrl: "__BASE_URL__",
});

// paginate() follows next_cursor until it is null, sending the same filters each time.
for await (const contact of ir.paginate("/v1/contacts", { query: { limit: 100 } })) {
  console.log(contact.id);
}
