# The delivery's headers and raw body, and your endpoint's secret (whsec_...):
#   WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE, WEBHOOK_BODY, WEBHOOK_SECRET
now=$(date +%s)
if [ $((now - WEBHOOK_TIMESTAMP)) -gt 300 ] || [ $((WEBHOOK_TIMESTAMP - now)) -gt 300 ]; then
  echo "invalid: timestamp outside 5 minutes"; exit 1
fi
key_hex=$(printf '%s' "${WEBHOOK_SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
expected=$(printf '%s.%s.%s' "$WEBHOOK_ID" "$WEBHOOK_TIMESTAMP" "$WEBHOOK_BODY" \
  | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64)
# During a secret rotation two signatures arrive, space separated: one must match.
case " $WEBHOOK_SIGNATURE " in
  *" v1,$expected "*) echo "valid" ;;
  *) echo "invalid: signature mismatch"; exit 1 ;;
esac
