"""Command bases. ``--json`` prints exactly one JSON object (§12): the result, or on
any failure ``{"error": {"code", "message"}}`` with a non-zero exit. Every command
of the project derives from ``JsonErrorsCommand`` (directly, or through
``JsonCommand``), so that holds for all of them without per-command code."""

import json
import sys
import traceback

from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import connections

from instantreply.core.services import ServiceError

from .jsonerrors import wants_json, write_json_error


def coded_error(code: str, message: str, returncode: int = 1) -> CommandError:
    """A CommandError carrying a machine-readable code for ``--json`` output (plain
    CommandError, so the text mode still prints "CommandError: …")."""
    exc = CommandError(message, returncode=returncode)
    exc.code = code
    return exc


class JsonErrorsCommand(BaseCommand):
    def run_from_argv(self, argv):
        if not wants_json(argv):
            return super().run_from_argv(argv)
        # Not "called from the command line": argparse mistakes then raise CommandError
        # (caught below) instead of printing usage text and exiting.
        self._called_from_command_line = False
        try:
            parser = self.create_parser(argv[0], argv[1])
            try:
                options = parser.parse_args(argv[2:])
            except CommandError as exc:
                raise coded_error("USAGE_ERROR", str(exc).removeprefix("Error: "), returncode=2)
            cmd_options = vars(options)
            args = cmd_options.pop("args", ())
            handle_default_options(options)
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            write_json_error(getattr(exc, "code", "COMMAND_ERROR"), str(exc), self.stdout)
            sys.exit(exc.returncode)
        except Exception as exc:
            # A bug, not an operator mistake: the JSON says so, the traceback goes to
            # stderr for whoever debugs it.
            traceback.print_exc(file=sys.stderr)
            write_json_error("INTERNAL_ERROR", f"{type(exc).__name__}: {exc}", self.stdout)
            sys.exit(1)
        finally:
            connections.close_all()


class JsonCommand(JsonErrorsCommand):
    """A command whose ``run`` returns (result, text): ``--json`` prints the result,
    otherwise the text; operator mistakes (ServiceError) fail with their message."""

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        self.add_command_arguments(parser)

    def add_command_arguments(self, parser):
        pass

    def handle(self, *args, **options):
        try:
            result, text = self.run(**options)
        except ServiceError as exc:
            raise coded_error("INVALID_INPUT", str(exc))
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
            raise coded_error("NOT_FOUND", f"no {noun} with id {object_id}")
        return obj
