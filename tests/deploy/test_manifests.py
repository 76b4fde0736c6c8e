"""Deployment manifests parse and carry what operations rely on (kubectl is not available offline)."""

import configparser
import json
import re

from .conftest import DEPLOY, load_yaml

K8S = DEPLOY / "k8s"


def _kinds() -> dict[str, dict]:
    (kustomization,) = load_yaml(K8S / "kustomization.yaml")
    docs = [doc for name in kustomization["resources"] for doc in load_yaml(K8S / name)]
    for doc in docs:
        assert {"apiVersion", "kind", "metadata"} <= doc.keys(), doc
    return {doc["kind"]: doc for doc in docs}


def test_deployment_runs_two_probed_replicas_with_the_dsn_from_a_secret():
    deployment = _kinds()["Deployment"]
    spec = deployment["spec"]
    assert spec["replicas"] >= 2
    assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()
    (container,) = spec["template"]["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["port"] in ports
    env = {e["name"]: e for e in container["env"]}
    assert env["MEDEVAC_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {"name": "medevac-database", "key": "url"}
    annotations = spec["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/path"] == "/metrics"
    assert int(annotations["prometheus.io/port"]) in ports.values()


def test_service_budget_and_monitor_select_the_deployment_pods():
    kinds = _kinds()
    pod_labels = kinds["Deployment"]["spec"]["template"]["metadata"]["labels"].items()
    service, budget, monitor = kinds["Service"], kinds["PodDisruptionBudget"], kinds["ServiceMonitor"]
    assert service["spec"]["selector"].items() <= pod_labels
    assert budget["apiVersion"] == "policy/v1" and budget["spec"]["selector"]["matchLabels"].items() <= pod_labels
    assert 1 <= budget["spec"]["minAvailable"] < kinds["Deployment"]["spec"]["replicas"]
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    service_ports = {p["name"] for p in service["spec"]["ports"]}
    assert {e["port"] for e in monitor["spec"]["endpoints"]} <= service_ports
    (secret,) = load_yaml(K8S / "secret.example.yaml")
    assert secret["kind"] == "Secret" and "url" in secret["stringData"]


def test_compose_has_two_replicas_behind_the_proxy_with_database_and_monitoring():
    (compose,) = load_yaml(DEPLOY / "compose.yaml")
    services = compose["services"]
    assert {"medevac-1", "medevac-2", "proxy", "postgres", "prometheus", "grafana"} <= services.keys()
    for replica in ("medevac-1", "medevac-2"):
        assert "MEDEVAC_DATABASE_URL" in services[replica]["environment"]
        assert services[replica]["build"]["dockerfile"] == "deploy/Containerfile"
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), source
    upstream = (DEPLOY / "nginx" / "nginx.conf").read_text()
    assert set(re.findall(r"server (medevac-\d):8080", upstream)) == {"medevac-1", "medevac-2"}
    scrape = (DEPLOY / "prometheus" / "prometheus.yml").read_text()
    assert "medevac-1:8080" in scrape and "medevac-2:8080" in scrape


def test_container_image_and_systemd_unit_start_the_service():
    containerfile = (DEPLOY / "Containerfile").read_text()
    assert re.search(r"^FROM \S+python:3\.11", containerfile, re.MULTILINE)
    assert re.search(r'^CMD \["medevac", "serve"\]', containerfile, re.MULTILINE)
    assert re.search(r"^USER \d+", containerfile, re.MULTILINE)
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(DEPLOY / "systemd" / "medevac@.service")
    assert unit["Service"]["ExecStart"].endswith("medevac serve")
    assert "MEDEVAC_PORT=%i" in unit["Service"]["Environment"]
    assert unit["Service"]["Restart"] == "on-failure" and unit["Install"]["WantedBy"] == "multi-user.target"


def test_grafana_dashboard_and_provisioning_are_consistent():
    dashboard = json.loads((DEPLOY / "grafana" / "medevac-hq.json").read_text())
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    titles = " ".join(p["title"] for p in dashboard["panels"])
    for needed in ("Casualties handed over", "Mean", "p90", "Share within standard", "Segment breakdown",
                   "Asset availability over time", "Teleconsults"):
        assert needed in titles, needed
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
    for panel in panels:
        assert panel["targets"] and all(t["expr"].strip() for t in panel["targets"]), panel["title"]
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
    (datasources,) = load_yaml(DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml")
    assert {d["uid"] for d in datasources["datasources"]} >= {"prometheus"}
