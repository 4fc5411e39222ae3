import json

from django.core.management.base import CommandError

from instantreply.core.management.base import JsonErrorsCommand, coded_error
from webhooks import services
from webhooks.models import Event, WebhookEndpoint


class Command(JsonErrorsCommand):
    help = (
        "Deliver an event again: to one endpoint (--endpoint), or to every enabled "
        "endpoint of its workspace and mode subscribed to its type."
    )

    def add_arguments(self, parser):
        parser.add_argument("event_id", help="evt_… id")
        parser.add_argument("--endpoint", help="wh_… id of one endpoint")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, event_id, endpoint=None, **options):
        event = Event.objects.filter(pk=event_id).first()
        if event is None:
            raise coded_error("NOT_FOUND", f"no event with id {event_id}")
        target = None
        if endpoint:
            target = WebhookEndpoint.objects.filter(pk=endpoint).first()
            if target is None:
                raise coded_error("NOT_FOUND", f"no webhook endpoint with id {endpoint}")
        try:
            deliveries = services.webhook_event_replay(event=event, endpoint=target)
        except ValueError as exc:
            raise CommandError(str(exc))
        result = {
            "id": event.id,
            "deliveries": [{"id": d.id, "endpoint_id": d.endpoint_id} for d in deliveries],
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"{event.id}: {len(deliveries)} delivery attempt(s) scheduled")
            for d in deliveries:
                self.stdout.write(f"  {d.id} → {d.endpoint_id}")
