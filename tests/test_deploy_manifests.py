"""The deployment files parse and describe every service on its documented port."""

import secrets
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.broker import all_topics
from shared.settings import SERVICE_PORTS, InsecureSettings, Settings

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def _k8s_documents() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    documents: list[dict[str, Any]] = []
    for resource in kustomization["resources"]:
        documents.extend(
            doc for doc in yaml.safe_load_all((DEPLOY / "k8s" / resource).read_text()) if doc
        )
    return documents


def _of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in _k8s_documents() if d["kind"] == kind}


def test_compose_runs_kafka_postgres_and_every_service_on_its_port() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"kafka", "postgres"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    for name, port in SERVICE_PORTS.items():
        service = services[name]
        assert service["command"] == ["serve", name]
        assert service["ports"] == [f"{port}:{port}"]
        env = service["environment"]
        assert f"PLANTLINE_{name.upper()}_DATABASE_URL" in env
        assert env[f"PLANTLINE_{name.upper()}_DATABASE_URL"].endswith(f"/{name}")
        assert "PLANTLINE_KAFKA_BOOTSTRAP" in env and "PLANTLINE_JWT_SECRET" in env
        assert f"{port}/health/ready" in " ".join(service["healthcheck"]["test"])


def test_postgres_init_script_creates_one_database_per_service() -> None:
    script = (DEPLOY / "postgres" / "init-databases.sh").read_text()
    for name in SERVICE_PORTS:
        assert name in script


def test_every_service_has_a_deployment_with_probes_and_resources() -> None:
    deployments = _of_kind("Deployment")
    assert set(deployments) == set(SERVICE_PORTS)
    for name, port in SERVICE_PORTS.items():
        spec = deployments[name]["spec"]["template"]["spec"]
        (container,) = spec["containers"]
        assert container["args"] == ["serve", name]
        assert [p["containerPort"] for p in container["ports"]] == [port]
        assert container["readinessProbe"]["httpGet"]["path"].startswith("/health/")
        assert container["livenessProbe"]["httpGet"]["path"].startswith("/health/")
        assert container["readinessProbe"]["httpGet"]["port"] == port
        assert container["resources"]["requests"]
        assert [c["args"] for c in spec["initContainers"]] == [["migrate", name]]


def test_every_service_has_a_kubernetes_service_on_its_port() -> None:
    services = _of_kind("Service")
    assert set(services) == set(SERVICE_PORTS)
    for name, port in SERVICE_PORTS.items():
        assert [p["port"] for p in services[name]["spec"]["ports"]] == [port]


def test_kubernetes_resources_share_the_namespace() -> None:
    kinds = {d["kind"] for d in _k8s_documents()}
    assert {"Namespace", "ConfigMap", "Secret", "Deployment", "Service"} <= kinds
    for doc in _k8s_documents():
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "plantline"


def test_every_service_is_told_where_the_others_answer_over_http() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    (config,) = _of_kind("ConfigMap").values()
    for name, port in SERVICE_PORTS.items():
        variable = f"PLANTLINE_{name.upper()}_URL"
        for caller in SERVICE_PORTS:
            assert compose["services"][caller]["environment"][variable] == (f"http://{name}:{port}")
        assert config["data"][variable] == f"http://{name}.plantline.svc.cluster.local:{port}"


def test_compose_creates_every_topic_the_services_publish_and_dead_letter_to() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    (script,) = compose["services"]["kafka-topics"]["command"]
    services = script.split("for service in ", 1)[1].split(";", 1)[0].split()
    suffixes = script.split("for suffix in ", 1)[1].split(";", 1)[0].split()
    created = {f"plantline.{service}.{suffix}" for service in services for suffix in suffixes}
    assert created == set(all_topics(Settings(topic_prefix="plantline")))


def test_compose_demands_a_real_jwt_secret_outside_development() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    for name in SERVICE_PORTS:
        env = compose["services"][name]["environment"]
        assert env["PLANTLINE_DEV_MODE"] == "false"
        # Taken from the environment, with no built-in fallback: `up` stops without one.
        assert env["PLANTLINE_JWT_SECRET"].startswith("${PLANTLINE_JWT_SECRET:?")
        Settings(jwt_secret=secrets.token_urlsafe(48), dev_mode=False).check_secrets()


def test_kubernetes_runs_outside_development_and_refuses_the_placeholder_secret() -> None:
    (config,) = _of_kind("ConfigMap").values()
    assert config["data"]["PLANTLINE_DEV_MODE"] == "false"
    (secret,) = _of_kind("Secret").values()
    placeholder = secret["stringData"]["PLANTLINE_JWT_SECRET"]
    with pytest.raises(InsecureSettings, match="at least 32"):
        Settings(jwt_secret=placeholder, dev_mode=False).check_secrets()
    for deployment in _of_kind("Deployment").values():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert {"configMapRef": {"name": "plantline-config"}} in container.get("envFrom", [])
