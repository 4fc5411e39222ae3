import json

from developer.serializers import trace_data
from instantreply.core.management.base import JsonCommand, coded_error
from instantreply.core.models import RequestLog


class Command(JsonCommand):
    help = "Print the trace of a request: what arrived, what we answered, every downstream call."

    def add_command_arguments(self, parser):
        parser.add_argument("request_id", help="req_ id")

    def run(self, **options):
        log = RequestLog.objects.retained().get_by_request_id(options["request_id"])
        if log is None:
            raise coded_error("NOT_FOUND", f"no request with id {options['request_id']}")
        data = trace_data(log)
        lines = [
            f"{data['id']}  {data['created_at']}  {data['method']} {data['path']} → {data['status']} "
            f"({data['duration_ms']} ms){'  [replay]' if data['replayed'] else ''}",
            f"key: {data['api_key_id']}  idempotency key: {data['idempotency_key']}",
            "request headers: " + json.dumps(data["request"]["headers"]),
            "request body: " + json.dumps(data["request"]["body"]),
            "response body: " + json.dumps(data["response"]["body"]),
        ]
        for call in data["downstream_calls"]:
            lines.append(
                f"  → {call['created_at']} {call['service']} {call['method']} {call['url']} "
                f"→ {call['status']} ({call['duration_ms']} ms){' error: ' + call['error'] if call['error'] else ''}"
            )
        return data, "\n".join(lines)
