curl -sS "__BASE_URL__/v1/developer/capabilities" \
  -H "Authorization: Bearer $INSTANTREPLY_API_KEY"
