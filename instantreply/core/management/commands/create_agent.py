from instantreply.core import services
from instantreply.core.management.base import JsonCommand
from instantreply.core.models import Workspace


class Command(JsonCommand):
    help = "Add a team member (agent) that conversations can be assigned to."

    def add_command_arguments(self, parser):
        parser.add_argument("--workspace", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)

    def run(self, **options):
        ws = self.get_or_fail(Workspace.objects.all(), options["workspace"], "workspace")
        agent = services.agent_create(workspace=ws, email=options["email"], name=options["name"])
        return {"id": agent.id, "email": agent.email}, f"Created agent {agent.id} <{agent.email}>"
