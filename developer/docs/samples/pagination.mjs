const BASE_URL = "__BASE_URL__";

// Yields every contact, fetching 100 per page until next_cursor is null.
async function* allContacts(params = {}) {
  let cursor = null;
  do {
    const query = new URLSearchParams({ ...params, limit: "100", ...(cursor && { cursor }) });
    const response = await fetch(`${BASE_URL}/v1/contacts?${query}`, {
      headers: { Authorization: `Bearer ${process.env.INSTANTREPLY_API_KEY}` },
    });
    const page = await response.json();
    yield* page.data;
    cursor = page.pagination.next_cursor;
  } while (cursor);
}

for await (const contact of allContacts()) console.log(contact.id);
