from instantreply.core.maintenance import purge_expired
from instantreply.core.management.base import JsonCommand


class Command(JsonCommand):
    help = "Delete expired idempotency keys and request logs past retention."

    def run(self, **options):
        counts = purge_expired()
        return {"id": "purge", **counts}, ", ".join(f"{k}: {v} deleted" for k, v in counts.items())
