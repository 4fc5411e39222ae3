#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "instantreply.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from instantreply.core.management.jsonerrors import wants_json, write_json_error

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # Settings fail before any command loads: with --json the failure is still
        # one JSON object; without it, one readable line instead of a traceback.
        if wants_json(sys.argv):
            write_json_error("IMPROPERLY_CONFIGURED", str(exc))
        else:
            sys.stderr.write(f"ImproperlyConfigured: {exc}\n")
        sys.exit(1)
