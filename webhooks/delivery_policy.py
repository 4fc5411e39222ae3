"""Delivery policy of outgoing webhooks (§9), read by the delivery worker and by
/v1/developer/limits."""

TIMEOUT_SECONDS = 10
# Delay before attempt 2, 3, … 8 (attempt 1 is immediate); each ± 20 % jitter.
RETRY_SCHEDULE_SECONDS = (5, 300, 1800, 7200, 18000, 36000, 36000)
MAX_ATTEMPTS = len(RETRY_SCHEDULE_SECONDS) + 1
JITTER = 0.2
DISABLE_AFTER_FAILING_DAYS = 5
DISABLE_AFTER_MIN_FAILED_ATTEMPTS = 10
