"""The one shape every management command's failure takes under ``--json``:
``{"error": {"code", "message"}}`` on stdout, where the success object would have
been, so a script parses one stream either way. Imports nothing of the project:
manage.py uses it for settings errors, before any app can load."""

import json
import sys


def wants_json(argv: list[str]) -> bool:
    return "--json" in argv[2:]


def write_json_error(code: str, message: str, stream=None) -> None:
    stream = stream or sys.stdout
    stream.write(json.dumps({"error": {"code": code, "message": message}}) + "\n")
    stream.flush()
