from instantreply.core import services
from instantreply.core.management.base import JsonCommand


class Command(JsonCommand):
    help = "Create a workspace (a tenant) on a plan tier."

    def add_command_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--tier", default="free", choices=["free", "starter", "growth", "scale"]
        )

    def run(self, **options):
        ws = services.workspace_create(name=options["name"], tier=options["tier"])
        return {
            "id": ws.id,
            "name": ws.name,
            "tier": ws.tier,
        }, f"Created workspace {ws.id} ({ws.tier})"
