from conversations.analytics_rollups import rebuild
from instantreply.core.management.base import JsonCommand, coded_error
from instantreply.core.models import Workspace


class Command(JsonCommand):
    help = (
        "Recompute the analytics rollups (message and conversation buckets, first "
        "responses) from the raw messages and conversations, for one workspace or all. "
        "Needed after loading rows with the database triggers disabled; on PostgreSQL "
        "writes to messages and conversations wait until it finishes."
    )

    def add_command_arguments(self, parser):
        parser.add_argument("--workspace", default=None, help="a ws_ id (default: every one)")

    def run(self, **options):
        workspace_id = options["workspace"]
        if workspace_id and not Workspace.objects.filter(pk=workspace_id).exists():
            raise coded_error("NOT_FOUND", f"no workspace with id {workspace_id}")
        written = rebuild(workspace_id=workspace_id)
        scope = workspace_id or "every workspace"
        text = (
            f"rebuilt analytics of {scope}: {written['message_stats']} message buckets, "
            f"{written['conversation_stats']} conversation buckets, "
            f"{written['first_responses']} first responses"
        )
        return {"workspace_id": workspace_id, **written}, text
