from conversations import services
from conversations.models import Channel
from instantreply.core.management.base import JsonCommand


class Command(JsonCommand):
    help = "Set a channel connected, disconnected or error (emits channel.status_updated)."

    def add_command_arguments(self, parser):
        parser.add_argument("channel_id")
        parser.add_argument("status", choices=["connected", "disconnected", "error"])
        parser.add_argument("--reason", default=None, help="shown in health.last_error_message")

    def run(self, **options):
        channel = self.get_or_fail(Channel.objects.all(), options["channel_id"], "channel")
        channel = services.channel_set_status(
            channel=channel,
            status=options["status"],
            error_code="operator" if options["status"] == "error" else None,
            error_message=options["reason"],
        )
        return {"id": channel.id, "status": channel.status}, f"{channel.id} is now {channel.status}"
