import json

from django.core.management.base import CommandError

from conversations.models import Channel
from instantreply.core.management.base import JsonErrorsCommand, coded_error
from instantreply.meta.client import MetaError
from templates_app.services import template_sync


class Command(JsonErrorsCommand):
    help = (
        "Pull every template of a WhatsApp channel's WABA from Meta (GET "
        "/{waba_id}/message_templates, following the paging) into live templates."
    )

    def add_arguments(self, parser):
        parser.add_argument("channel_id")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, channel_id, **options):
        channel = Channel.objects.filter(pk=channel_id).first()
        if channel is None:
            raise coded_error("NOT_FOUND", f"no channel {channel_id}")
        try:
            result = template_sync(channel=channel)
        except ValueError as exc:
            raise CommandError(str(exc))
        except MetaError as exc:
            raise CommandError(f"Meta refused the listing: {exc.message}")
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"{channel.id} (WABA {result['waba_id']}): {result['pages']} page(s); "
                f"{result['created']} created, {result['updated']} updated, "
                f"{result['unchanged']} unchanged, {result['skipped']} skipped"
            )
