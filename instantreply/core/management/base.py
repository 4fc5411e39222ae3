"""Thin command base: ``--json`` prints exactly one JSON object (§12); operator
mistakes (ServiceError) become CommandError with the service's message."""

import json

from django.core.management.base import BaseCommand, CommandError

from instantreply.core.services import ServiceError


class JsonCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        self.add_command_arguments(parser)

    def add_command_arguments(self, parser):
        pass

    def handle(self, *args, **options):
        try:
            result, text = self.run(**options)
        except ServiceError as exc:
            raise CommandError(str(exc))
        if options["json"]:
            self.stdout.write(json.dumps(result, sort_keys=True))
        else:
            self.stdout.write(text)

    def run(self, **options) -> tuple[dict, str]:
        raise NotImplementedError

    @staticmethod
    def get_or_fail(queryset, object_id: str, noun: str):
        obj = queryset.filter(pk=object_id).first()
        if obj is None:
            raise CommandError(f"no {noun} with id {object_id}")
        return obj
