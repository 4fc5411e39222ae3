from pathlib import Path

from django.apps import AppConfig


class DeveloperConfig(AppConfig):
    name = "developer"

    def ready(self):
        from instantreply.api.schema import register_examples

        # Real answers of the demo workspace (scripts/capture_reference_examples.py).
        register_examples(Path(__file__).parent / "docs" / "reference_examples.json")
