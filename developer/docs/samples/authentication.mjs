const BASE_URL = "__BASE_URL__";

const response = await fetch(`${BASE_URL}/v1/developer/capabilities`, {
  headers: { Authorization: `Bearer ${process.env.INSTANTREPLY_API_KEY}` },
});
const { data } = await response.json();
console.log(data.key.mode, data.workspace.id, data.scopes.join(","));
