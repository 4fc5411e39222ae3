"""The checked-in SDKs are what the generators make of the schema the API serves: CI
fails when a change to the API is not followed by `bash scripts/sdks.sh`."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_checked_in_schema_is_the_served_schema(client, db):
    served = client.get("/v1/openapi.json")

    assert served.status_code == 200
    checked_in = json.loads((ROOT / "sdks" / "openapi.json").read_text())
    assert json.loads(served.content) == checked_in, "run 'bash scripts/sdks.sh'"


@pytest.mark.slow
def test_generated_clients_match_the_schema():
    if shutil.which("node") is None:
        pytest.skip("node is not installed: openapi-typescript cannot run here")
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "sdks.sh"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]
