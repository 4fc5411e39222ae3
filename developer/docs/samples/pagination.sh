# Walk every contact, 100 per page, until next_cursor is null (needs jq).
cursor=""
while :; do
  page=$(curl -sS -G "__BASE_URL__/v1/contacts" \
    -H "Authorization: Bearer $INSTANTREPLY_API_KEY" \
    --data-urlencode "limit=100" ${cursor:+--data-urlencode "cursor=$cursor"})
  echo "$page" | jq -r '.data[].id'
  cursor=$(echo "$page" | jq -r '.pagination.next_cursor // empty')
  [ -n "$cursor" ] || break
done
