from conversations import services
from instantreply.core.management.base import JsonCommand
from instantreply.core.models import Workspace


class Command(JsonCommand):
    help = "Connect a WhatsApp number, Instagram account or Facebook Page to a workspace."

    def add_command_arguments(self, parser):
        parser.add_argument("--workspace", required=True)
        parser.add_argument(
            "--platform", required=True, choices=["whatsapp", "instagram", "messenger"]
        )
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--external-id", required=True, help="phone number id / IG account id / Page id"
        )
        parser.add_argument("--access-token", required=True)
        parser.add_argument("--waba-id", default=None)
        parser.add_argument("--display-handle", default=None)

    def run(self, **options):
        ws = self.get_or_fail(Workspace.objects.all(), options["workspace"], "workspace")
        channel = services.channel_connect(
            workspace=ws,
            platform=options["platform"],
            name=options["name"],
            external_id=options["external_id"],
            access_token=options["access_token"],
            waba_id=options["waba_id"],
            display_handle=options["display_handle"],
        )
        return {
            "id": channel.id,
            "platform": channel.platform,
        }, f"Connected {channel.platform} channel {channel.id}"
