import json
import signal

from django.conf import settings

from instantreply.core.management.base import JsonErrorsCommand
from instantreply.meta.simulator import MetaSimulator


class Command(JsonErrorsCommand):
    help = (
        "Run the Graph API simulator: Meta's send and template paths over HTTP, with signed "
        "status webhooks posted back to --webhook-url, so the whole flow runs without Meta. "
        "Point META_GRAPH_API_URL at http://HOST:PORT/v24.0."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8010)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--webhook-url",
            default=None,
            help="where status webhooks go, e.g. http://127.0.0.1:8000/meta/webhook",
        )
        parser.add_argument(
            "--app-secret",
            default=None,
            help="signs the webhooks (default: META_APP_SECRET of these settings)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print one JSON line once listening"
        )

    def handle(self, *args, **options):
        sim = MetaSimulator(
            host=options["host"],
            port=options["port"],
            webhook_url=options["webhook_url"],
            app_secret=options["app_secret"] or settings.META_APP_SECRET,
        )
        # shutdown() from a handler running on the serving thread would deadlock; unwinding
        # the serve loop with an exception stops it at once.
        signal.signal(signal.SIGTERM, _interrupt)
        if options["json"]:
            self.stdout.write(json.dumps({"id": "meta_simulator", "url": sim.graph_url}))
        else:
            self.stdout.write(
                f"Graph API simulator on {sim.graph_url} (webhooks to {options['webhook_url'] or 'nowhere'})"
            )
        self.stdout.flush()
        try:
            sim.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            sim.server.server_close()


def _interrupt(*_):
    raise KeyboardInterrupt
