import json

from rest_framework import exceptions, parsers


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


class StrictJSONParser(parsers.JSONParser):
    """JSON object bodies only; NaN/Infinity refused; messages say what was wrong."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        try:
            text = raw.decode("utf-8")
            data = json.loads(text, parse_constant=_reject_constant)
        except UnicodeDecodeError:
            raise exceptions.ParseError("the body is not UTF-8 encoded.")
        except ValueError as exc:
            raise exceptions.ParseError(f"the body is not valid JSON ({exc}).")
        if not isinstance(data, dict):
            raise exceptions.ParseError(
                f"the body must be a JSON object, received a JSON {type(data).__name__}."
            )
        return data
