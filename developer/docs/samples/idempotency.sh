# One key per logical operation; every retry of that operation reuses it.
IDEMPOTENCY_KEY=$(uuidgen 2>/dev/null || cat /proc/sys/kernel/random/uuid)

# --retry repeats the identical request (same key) on timeouts, 429 and 5xx,
# honouring Retry-After. The loop's second call stands for a retry after a lost
# response: it is answered from the stored result, nothing is sent twice.
for attempt in 1 2; do
  curl -sS -i --retry 5 -X POST "__BASE_URL__/v1/conversations/$CONVERSATION_ID/messages" \
    -H "Authorization: Bearer $INSTANTREPLY_API_KEY" \
    -H "Content-Type: application/json" \
    -H "Idempotency-Key: $IDEMPOTENCY_KEY" \
    -d '{"text": "Thanks, Ana! Your order ships today."}'
  echo
done
