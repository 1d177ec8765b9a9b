"""The Containerfile and compose.yaml, checked without a container engine (none is on the
development machines or in CI): the instructions as a builder reads them, and the compose
file as `compose config` would resolve it (YAML merge keys, variables), so a broken file
fails here rather than at a municipality's first `compose up`."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    text = (ROOT / "Containerfile").read_text()
    logical = re.sub(
        r"\\\n",
        " ",
        "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")),
    )
    found = []
    for line in logical.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(part, str) for part in value), arguments
    return value


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_containerfile_instructions_are_known():
    known = {"FROM", "ENV", "RUN", "WORKDIR", "COPY", "USER", "VOLUME", "EXPOSE",
             "HEALTHCHECK", "STOPSIGNAL", "ENTRYPOINT", "CMD", "ARG", "LABEL"}  # fmt: skip
    assert {keyword for keyword, _ in instructions()} <= known


def stage_bases() -> list[tuple[str, str]]:
    """(base, stage name) of every FROM, the ARGs before the first FROM filled in with
    their defaults as a builder does when no --build-arg is given."""
    steps = instructions()
    first = next(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    defaults = dict(
        args.split("=", 1) for keyword, args in steps[:first] if keyword == "ARG" and "=" in args
    )
    found = []
    for keyword, args in steps[first:]:
        if keyword == "FROM":
            words = args.split()
            base = re.sub(r"\$\{?(\w+)\}?", lambda m: defaults[m.group(1)], words[0])
            found.append((base, words[2] if len(words) == 3 and words[1].upper() == "AS" else ""))
    return found


def test_image_is_debian_slim_multi_stage_and_runs_as_a_user():
    steps = instructions()
    bases = stage_bases()
    assert len(bases) >= 2
    stages: set[str] = set()
    for base, name in bases:
        # Every stage starts from an earlier one or from Debian 12 slim.
        assert base in stages or re.fullmatch(r"(docker\.io/library/)?debian:bookworm-slim", base)
        stages.add(name)
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    users = [args for keyword, args in steps[last_from:] if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    copies = [args for keyword, args in steps[last_from:] if keyword == "COPY"]
    assert any(args.startswith("--from=") for args in copies)


def test_base_image_is_a_build_argument_used_once():
    """A registry-free build (scripts/container-base) passes its own Debian as BASE_IMAGE;
    the other stages build on the first, so the interpreter the virtual environment was
    made with is the one the image runs."""
    froms = [args.split()[0] for keyword, args in instructions() if keyword == "FROM"]
    assert froms[0] == "${BASE_IMAGE}"
    assert all("BASE_IMAGE" not in base for base in froms[1:])


def test_ci_says_in_one_line_why_it_did_not_build_the_image():
    script = ROOT / "scripts" / "container-smoke"
    cases = [
        ({}, "GREMIUM_CI_BUILD_IMAGE=1 builds"),
        ({"GREMIUM_CI_BUILD_IMAGE": "1", "CONTAINER_ENGINE": "no-such-engine"}, "no-such-engine"),
    ]
    for extra, reason in cases:
        env = {k: v for k, v in os.environ.items() if k != "GREMIUM_CI_BUILD_IMAGE"} | extra
        env["UV_OFFLINE"] = "1"  # hadolint and podman-compose from uv's cache, or "not available"
        done = subprocess.run([script, "--ci"], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert len(lines) == 1 and lines[0].startswith("== container: image NOT built (")
        assert reason in lines[0]


def test_image_installs_the_locked_dependencies_with_bytecode():
    runs = " ".join(args for keyword, args in instructions() if keyword == "RUN")
    syncs = [shlex.split(part) for part in re.findall(r"uv sync[^&]*", runs)]
    assert syncs
    for sync in syncs:
        assert {"--frozen", "--no-dev", "--compile-bytecode"} <= set(sync)
    assert "collectstatic" in runs
    copies = " ".join(args for keyword, args in instructions() if keyword == "COPY")
    assert "uv.lock" in copies


def test_image_starts_gremium_serve_and_checks_readiness():
    steps = dict(instructions())
    command = exec_form(steps["ENTRYPOINT"]) + exec_form(steps["CMD"])
    assert command[:2] == ["gremium", "serve"]
    assert command[command.index("--bind") + 1] == "0.0.0.0:8000"
    assert steps["EXPOSE"] == "8000"
    assert "/health/ready" in steps["HEALTHCHECK"]
    assert steps["HEALTHCHECK"].split("CMD", 1)[1].strip().startswith("[")


def test_compose_runs_gremium_and_postgres_16_with_healthchecks(compose):
    services = compose["services"]
    assert services["postgres"]["image"].rsplit("/", 1)[-1].startswith("postgres:16")
    assert services["gremium"]["command"][0] == "serve"
    for name in ("postgres", "gremium"):
        assert services[name]["healthcheck"]["test"][0] == "CMD"
    assert "/health/ready" in " ".join(services["gremium"]["healthcheck"]["test"])
    assert services["gremium"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    grace = int(services["gremium"]["stop_grace_period"].rstrip("s"))
    assert grace > 30, "longer than gremium serve's graceful timeout"


def test_compose_commands_exist_and_volumes_are_declared(compose):
    commands = get_commands()
    for name, service in compose["services"].items():
        if "build" in service:
            assert service["command"][0] in commands, f"{name}: gremium {service['command'][0]}"
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in compose["volumes"], f"{name}: {volume}"


def test_compose_keeps_secrets_out_and_the_port_local(compose):
    environment = compose["services"]["gremium"]["environment"]
    for name in ("SECRET_KEY", "ALLOWED_HOSTS"):
        assert re.fullmatch(r"\$\{" + name + r":\?[^}]+\}", environment[name])
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert all(port.startswith("127.0.0.1:") for port in compose["services"]["gremium"]["ports"])
    variables = re.findall(r"\$\{(\w+)", (ROOT / "compose.yaml").read_text())
    settings_doc = (ROOT / "docs" / "settings.md").read_text()
    compose_only = {"POSTGRES_PASSWORD", "GREMIUM_SUBNET", "GREMIUM_GATEWAY"}
    compose_only |= {"MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "GREMIUM_BASE_IMAGE"}
    for variable in set(variables) - compose_only:
        assert f"`{variable}`" in settings_doc, f"{variable} is documented"


ONE_SHOT = "service_completed_successfully"


def test_compose_dependencies_exist_and_wait_for_health(compose):
    services = compose["services"]
    for name, service in services.items():
        for needed, condition in service.get("depends_on", {}).items():
            assert needed in services, f"{name} depends on unknown {needed}"
            assert needed != name
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[needed], f"{name} waits for {needed}'s health"
            else:
                assert condition["condition"] == ONE_SHOT
                assert services[needed]["restart"] == "no", f"{needed} runs once"


def test_every_long_running_service_has_a_healthcheck_and_its_volumes(compose):
    services = compose["services"]
    long_running = [name for name, s in services.items() if s.get("restart") != "no"]
    assert set(long_running) == {"postgres", "minio", "gremium", "worker"}
    for name in long_running:
        check = services[name]["healthcheck"]
        assert check["test"][0] == "CMD" and check["retries"] > 0, name
        assert services[name]["volumes"], f"{name} keeps its data in a volume"


def test_gremium_and_worker_keep_files_in_minio(compose):
    services = compose["services"]
    assert services["worker"]["command"] == ["worker"]
    bucket = services["bucket"]
    assert bucket["depends_on"] == {"minio": {"condition": "service_healthy"}}
    assert "--ignore-existing" in bucket["entrypoint"]
    assert bucket["entrypoint"][-1] == "gremium/${GREMIUM_S3_BUCKET:-gremium}"
    assert services["migrate"]["depends_on"]["bucket"] == {"condition": ONE_SHOT}
    for name in ("gremium", "worker"):
        environment = services[name]["environment"]
        assert environment["GREMIUM_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert environment["GREMIUM_S3_BUCKET"] == "${GREMIUM_S3_BUCKET:-gremium}"
        for key in ("GREMIUM_S3_ACCESS_KEY_ID", "GREMIUM_S3_SECRET_ACCESS_KEY"):
            assert environment[key].startswith("${MINIO_ROOT_"), f"{name}: {key}"
