from instantreply.core import services
from instantreply.core.management.base import JsonCommand
from instantreply.core.models import Workspace


class Command(JsonCommand):
    help = "Create an API key. The key is printed once and never stored."

    def add_command_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="ws_ id")
        parser.add_argument("--name", default="Default key")
        parser.add_argument("--scopes", default="*", help="comma-separated scopes, or *")
        parser.add_argument("--mode", default="live", choices=["live", "test"])

    def run(self, **options):
        ws = self.get_or_fail(Workspace.objects.all(), options["workspace"], "workspace")
        key, raw = services.api_key_create(
            workspace=ws,
            name=options["name"],
            scopes=services.parse_scopes(options["scopes"]),
            mode=options["mode"],
        )
        result = {"id": key.id, "key": raw, "mode": key.mode, "scopes": key.scopes}
        return (
            result,
            f"Created {key.id} ({key.mode}, scopes {','.join(key.scopes)})\nKey (shown once): {raw}",
        )
