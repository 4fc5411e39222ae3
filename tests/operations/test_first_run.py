"""A fresh clone's first run (README): scripts/setup.sh writes a development .env,
every entry point reads it, production still refuses development secrets, every
command's failure is one JSON object under --json, and scripts/run.sh stops every
process it started on SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.management import ManagementUtility, get_commands

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = (
    "instantreply.core",
    "instantreply.meta",
    "conversations",
    "contacts",
    "templates_app",
    "webhooks",
    "developer",
)
# What a developer's shell or this suite's runner may carry: the child sees a clean slate.
SCRUBBED = (
    "INSTANTREPLY_TESTING",
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "META_APP_SECRET",
    "META_VERIFY_TOKEN",
    "DOCS_BASE_URL",
    "DEV_PORT",
    "PORT",
    "SIM_PORT",
    "DJANGO_SETTINGS_MODULE",
    "CELERY_TASK_ALWAYS_EAGER",
    "INSTANTREPLY_ALLOW_DEV_SECRETS",
)


def clean_env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED and not k.startswith("PYTEST")}
    env["INSTANTREPLY_VAR_DIR"] = str(tmp_path / "var")
    env["INSTANTREPLY_ENV_FILE"] = str(tmp_path / ".env")
    env.update(extra)
    return env


def read_env_file(path: Path) -> dict:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k: v for k, v in pairs if not k.startswith("#")}


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(env: dict):
    subprocess.run(["bash", "scripts/setup.sh"], cwd=ROOT, env=env, check=True, capture_output=True)


@pytest.mark.slow
def test_setup_writes_a_private_env_with_fresh_secrets_once(tmp_path):
    env_a, env_b = tmp_path / "a.env", tmp_path / "b.env"
    for target in (env_a, env_b):
        setup({**os.environ, "INSTANTREPLY_ENV_FILE": str(target)})
    a, b = read_env_file(env_a), read_env_file(env_b)
    assert env_a.stat().st_mode & 0o777 == 0o600
    assert a["DEBUG"] == "true"
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "META_APP_SECRET", "META_VERIFY_TOKEN"):
        assert len(a[name]) >= 32 and a[name] != b[name], name
    before = env_a.read_text()
    setup({**os.environ, "INSTANTREPLY_ENV_FILE": str(env_a)})
    assert env_a.read_text() == before  # never overwritten: its keys encrypt stored data


@pytest.mark.slow
def test_manage_py_runs_from_the_env_file_and_production_refuses_dev_defaults(tmp_path):
    setup(clean_env(tmp_path))
    env = clean_env(tmp_path)
    assert manage(env, "migrate", "-v0").returncode == 0
    created = manage(env, "create_workspace", "--json", "--name", "Acme")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["name"] == "Acme"

    # No .env and DEBUG off: the production guard answers, as one JSON object.
    production = clean_env(tmp_path, INSTANTREPLY_ENV_FILE=str(tmp_path / "absent.env"))
    refused = manage(production, "create_workspace", "--json", "--name", "Acme")
    assert refused.returncode == 1
    error = json.loads(refused.stdout)["error"]
    assert error["code"] == "IMPROPERLY_CONFIGURED"
    assert (
        "SECRET_KEY, META_APP_SECRET, META_VERIFY_TOKEN, FIELD_ENCRYPTION_KEYS" in error["message"]
    )
    assert "Traceback" not in refused.stderr


def run_command(capsys, *argv: str) -> tuple[int, dict]:
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", *argv]).execute()
    out = capsys.readouterr().out
    return exited.value.code, json.loads(out)


def project_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app in PROJECT_APPS)


def test_every_project_command_is_covered():
    assert {"create_workspace", "run_meta_simulator", "seed_demo", "trace"} <= set(
        project_commands()
    )
    assert len(project_commands()) >= 12


@pytest.mark.parametrize("command", project_commands())
def test_every_command_prints_a_usage_mistake_as_json(db, capsys, command):
    code, out = run_command(capsys, command, "--json", "--no-such-option")
    assert code == 2
    assert list(out) == ["error"] and list(out["error"]) == ["code", "message"]
    assert out["error"]["code"] == "USAGE_ERROR"


def test_a_missing_object_is_a_json_not_found(db, capsys):
    code, out = run_command(capsys, "revoke_api_key", "--json", "key_nope")
    assert code == 1
    assert out == {"error": {"code": "NOT_FOUND", "message": "no API key with id key_nope"}}


def test_an_invalid_input_is_a_json_invalid_input(db, capsys):
    code, out = run_command(capsys, "create_workspace", "--json", "--name", "   ")
    assert code == 1
    assert out == {"error": {"code": "INVALID_INPUT", "message": "name must not be empty"}}


def test_without_json_a_failure_stays_a_one_line_command_error(db, capsys):
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "revoke_api_key", "key_nope"]).execute()
    assert exited.value.code == 1
    assert capsys.readouterr().err == "CommandError: no API key with id key_nope\n"


def readme_walk_through() -> str:
    """The README's curl walk-through: its indented command blocks, as one script."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## A curl walk-through", 1)[1].split("\n## ", 1)[0]
    lines = [line[4:] for line in section.splitlines() if line.startswith("    ")]
    return "\n".join(line for line in lines if not line.startswith("export IR="))


def walk_through(tmp_path, base: str, key: str, output: str):
    test_key = next(line.split()[-1] for line in output.splitlines() if "Test key" in line)
    script = "set -euo pipefail\n" + readme_walk_through() + '\necho "TEST_CONV=$TEST_CONV"\n'
    ran = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "IR": base, "KEY": key, "TEST_KEY": test_key},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, (ran.stdout, ran.stderr)
    assert '"status":"queued"' in ran.stdout
    assert f'"doc_url":"{base}/docs/errors#INVALID_PLATFORM"' in ran.stdout
    test_conv = ran.stdout.rsplit("TEST_CONV=", 1)[1].strip()
    # The test-mode reply stops at delivered.
    headers = {"Authorization": f"Bearer {test_key}"}
    url = f"{base}/v1/conversations/{test_conv}/messages"
    deadline = time.monotonic() + 60
    while True:
        latest = requests.get(url, params={"limit": 1}, headers=headers, timeout=10).json()
        if latest["data"][0]["status"] == "delivered":
            break
        assert time.monotonic() < deadline, latest
        time.sleep(0.5)
    time.sleep(2)
    latest = requests.get(url, params={"limit": 1}, headers=headers, timeout=10).json()
    assert (latest["data"][0]["direction"], latest["data"][0]["status"]) == (
        "outbound",
        "delivered",
    )


def descendants(pid: int) -> set[int]:
    table = subprocess.run(
        ["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True, check=True
    ).stdout
    children: dict[int, list[int]] = {}
    for line in table.splitlines():
        child, parent = (int(x) for x in line.split())
        children.setdefault(parent, []).append(child)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_run_script_serves_and_stops_every_child_on_sigterm(tmp_path):
    port, sim_port = free_port(), free_port()
    env = clean_env(tmp_path, PORT=str(port), SIM_PORT=str(sim_port))
    with open(tmp_path / "run.log", "w") as log:
        _drive_run_script(tmp_path, env, log, port)


def _drive_run_script(tmp_path, env, log, port):
    proc = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, (tmp_path / "run.log").read_text()
            try:
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "run.log").read_text()
            time.sleep(0.5)
        output = (tmp_path / "run.log").read_text()
        key = next(line.split()[-1] for line in output.splitlines() if "Live key" in line)

        # doc_url points at this running server's own error page.
        error = requests.get(
            f"{base}/v1/contacts",
            params={"platform": "tiktok"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        ).json()["error"]
        assert error["doc_url"] == f"{base}/docs/errors#INVALID_PLATFORM"
        page = requests.get(error["doc_url"], timeout=10)
        assert page.status_code == 200 and 'id="INVALID_PLATFORM"' in page.text
        root = requests.get(f"{base}/", allow_redirects=False, timeout=10)
        assert (root.status_code, root.headers["Location"]) == (302, "/docs")

        walk_through(tmp_path, base, key, output)

        children = descendants(proc.pid)
        # server, simulator, celery (and its pool and beat processes)
        assert len(children) >= 4, children
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 143
        deadline = time.monotonic() + 10
        while any(alive(p) for p in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [p for p in children if alive(p)] == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
