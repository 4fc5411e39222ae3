# -w prints the status after the body; errors always have the same envelope.
curl -sS -w '\nHTTP %{http_code}\n' \
  "__BASE_URL__/v1/contacts/cont_00000000000000000000000000000000" \
  -H "Authorization: Bearer $INSTANTREPLY_API_KEY"
# {"error": {"code": "RESOURCE_NOT_FOUND", "message": "...", "doc_url": "...",
#            "request_id": "req_...", "details": []}}
