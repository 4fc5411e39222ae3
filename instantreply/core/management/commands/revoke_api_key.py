from instantreply.core import services
from instantreply.core.management.base import JsonCommand
from instantreply.core.models import ApiKey
from instantreply.core.timeutil import format_ts


class Command(JsonCommand):
    help = "Revoke an API key; it fails with INVALID_API_KEY from then on."

    def add_command_arguments(self, parser):
        parser.add_argument("key_id", help="key_ id")

    def run(self, **options):
        key = self.get_or_fail(ApiKey.objects.all(), options["key_id"], "API key")
        key = services.api_key_revoke(key=key)
        return {"id": key.id, "revoked_at": format_ts(key.revoked_at)}, f"Revoked {key.id}"
