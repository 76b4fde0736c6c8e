"""promtool validates the Prometheus configuration and rules; every alert is unit-tested both ways."""

import re
import subprocess

from .conftest import DEPLOY, family, load_yaml

PROMETHEUS = DEPLOY / "prometheus"


def _alerts() -> list[dict]:
    (doc,) = load_yaml(PROMETHEUS / "alerts.yml")
    return [rule for group in doc["groups"] for rule in group["rules"] if "alert" in rule]


def _run(*args: str) -> str:
    done = subprocess.run(args, cwd=PROMETHEUS, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_promtool_accepts_config_and_rules(promtool):
    assert "SUCCESS" in _run(promtool, "check", "config", "prometheus.yml")
    assert "SUCCESS" in _run(promtool, "check", "rules", "alerts.yml")


def test_promtool_rule_unit_tests_pass(promtool):
    tests = sorted(str(p.relative_to(PROMETHEUS)) for p in (PROMETHEUS / "tests").glob("*.yml"))
    assert tests
    assert "SUCCESS" in _run(promtool, "test", "rules", *tests)


def test_every_alert_has_a_firing_and_a_silent_case():
    cases: dict[str, dict[str, int]] = {}
    for path in (PROMETHEUS / "tests").glob("*.yml"):
        (doc,) = load_yaml(path)
        for test in doc["tests"]:
            for case in test.get("alert_rule_test", []):
                tally = cases.setdefault(case["alertname"], {"firing": 0, "silent": 0})
                tally["firing" if case.get("exp_alerts") else "silent"] += 1
    for alert in _alerts():
        tally = cases.get(alert["alert"], {})
        assert tally.get("firing") and tally.get("silent"), f"{alert['alert']}: {tally}"


def _slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")


def test_every_alert_has_a_summary_and_a_runbook_section():
    runbook = (DEPLOY / "RUNBOOK.md").read_text()
    anchors = {_slug(h) for h in re.findall(r"^#+ (.+)$", runbook, re.MULTILINE)}
    for alert in _alerts():
        notes = alert["annotations"]
        assert notes.get("summary"), alert["alert"]
        path, _, anchor = notes["runbook_url"].partition("#")
        assert path == "deploy/RUNBOOK.md" and anchor in anchors, (alert["alert"], notes["runbook_url"])


def test_rules_and_dashboard_use_only_catalogued_metrics(catalogue):
    texts = [(PROMETHEUS / "alerts.yml").read_text(), (DEPLOY / "grafana" / "medevac-hq.json").read_text()]
    used = {family(name) for text in texts for name in re.findall(r"\bmedevac_\w+", text)}
    assert used and used <= set(catalogue), sorted(used - set(catalogue))
