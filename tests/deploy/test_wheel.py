"""A regular install works: the wheel, built as deploy/Containerfile builds it and installed into a
fresh virtualenv, migrates and serves the demo, its console and its scenarios from an empty directory
outside the checkout. No container runtime is available here, so this stands in for the image build."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.factories import free_port

from .conftest import DEPLOY, REPO

SHIPPED_SCENARIOS = {"bench-escort-mali-30h", "bench-night-masscal-mali-10h", "bench-remote-car-48h", "bench-scattered-car-36h", "masscal-mali-8h", "minusca-car-72h", "minusma-mali-72h"}
# Installing the dependencies took 25-90 s here, start-up 10-50 s, depending on the machine's load.
pytestmark = pytest.mark.timeout(900)


def image_stages() -> list[str]:
    """The Containerfile's stages, each from its FROM line on."""
    text = (DEPLOY / "Containerfile").read_text()
    return [stage for stage in re.split(r"^(?=FROM )", text, flags=re.MULTILINE) if stage.startswith("FROM ")]


def build_context_sources() -> list[str]:
    """What the wheel stage copies from the build context (its COPY lines, all but the destination)."""
    wheel_stage = image_stages()[0]
    return [src for line in re.findall(r"^COPY (?!--from)(.+)$", wheel_stage, re.MULTILINE)
            for src in line.split()[:-1]]


def test_the_image_builds_the_wheel_and_installs_it():
    wheel_stage, runtime = image_stages()
    assert re.search(r"^RUN pip wheel --no-deps .*--wheel-dir /wheels \.$", wheel_stage, re.MULTILINE)
    assert re.search(r"^COPY --from=wheel /wheels /wheels$", runtime, re.MULTILINE)
    assert re.search(r"^RUN pip install /wheels/medevac-\*\.whl ", runtime, re.MULTILINE)
    assert sorted(build_context_sources()) == ["README.md", "medevac", "pyproject.toml"]


@pytest.fixture(scope="module")
def workdir():
    """Short (the embedded PostgreSQL's socket lives in its data directory) and outside the checkout."""
    path = Path(tempfile.mkdtemp(prefix="medevac-wheel-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def installed(workdir: Path) -> Path:
    """A fresh virtualenv (no system site-packages) holding the wheel and its dependencies; its bin/."""
    context = workdir / "context"
    context.mkdir()
    for source in build_context_sources():
        if (REPO / source).is_dir():
            shutil.copytree(REPO / source, context / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / source, context / source)
    wheels = workdir / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "--wheel-dir", str(wheels), "."], cwd=context)
    venv = workdir / "venv"
    # This pip installs into the new environment (`--python`): no pip of its own to set up, and
    # no byte-compiling of every dependency up front (about two thirds of the time here).
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=workdir)
    (wheel,) = wheels.glob("medevac-*.whl")
    run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-compile",
         str(wheel)], cwd=workdir)
    return venv / "bin"


def run(command: list[str], cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def outside_env(port: int) -> dict:
    """This machine's environment without anything pointing at the checkout or its settings."""
    kept = {k: v for k, v in os.environ.items()
            if not k.startswith("MEDEVAC_") and k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    return kept | {"MEDEVAC_PORT": str(port), "MEDEVAC_LOG_FORMAT": "json"}


def get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_ready(url: str, process: subprocess.Popen, log: Path, within_s: float = 120.0) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        assert process.poll() is None, f"serve exited {process.returncode}:\n{log.read_text()[-4000:]}"
        try:
            if get(f"{url}/readyz")[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    raise AssertionError(f"/readyz never answered 200 within {within_s} s:\n{log.read_text()[-4000:]}")


@pytest.fixture
def served(installed: Path, workdir: Path):
    """`medevac migrate`, then `medevac serve --demo`, run from an empty directory; stopped after."""
    empty = workdir / "empty"
    empty.mkdir()
    port = free_port()
    env = outside_env(port)
    found = run([str(installed / "python"), "-c", "import medevac; print(medevac.__file__)"], cwd=empty, env=env)
    assert Path(found.strip()).is_relative_to(installed.parent), found
    migrated = run([str(installed / "medevac"), "migrate"], cwd=empty, env=env)
    latest = sorted(p.stem for p in (REPO / "medevac" / "sql").glob("*.sql"))[-1]
    assert f"the database is at {latest}" in migrated
    log = workdir / "serve.log"
    with open(log, "wb") as out:
        # Its own session: stopping it stops exactly what this test started.
        process = subprocess.Popen([str(installed / "medevac"), "serve", "--demo"], cwd=empty, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, process, log)
        yield url, log.read_text(), empty
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_the_installed_wheel_migrates_and_serves_the_demo_console_and_scenarios(served):
    url, output, empty = served
    assert (empty / ".medevac-data").is_dir()  # the default data directory, beside the user
    status, page = get(f"{url}/console/")
    assert status == 200 and '<script type="module"' in page
    assets = re.findall(r'(?:src|href)="(/console/[^"]+)"', page)
    assert any(a.endswith(".js") for a in assets) and any("vendor" in a for a in assets), assets
    assert {a: get(f"{url}{a}")[0] for a in assets} == {a: 200 for a in assets}
    observer = re.search(r"^  observer +(\S+)$", output, re.MULTILINE)[1]
    status, body = get(f"{url}/v1/planning/scenarios", observer)
    assert status == 200, body
    assert {s["name"] for s in json.loads(body)["items"]} == SHIPPED_SCENARIOS
