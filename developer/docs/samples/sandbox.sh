curl -sS -X POST "__BASE_URL__/v1/developer/simulate/inbound" \
  -H "Authorization: Bearer $INSTANTREPLY_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"channel_id": "'"$CHANNEL_ID"'",
       "from": {"external_id": "15551230001", "name": "Ana"},
       "text": "Hi! Where is my order?"}'
