"""Command line: run everything embedded, serve or migrate one service, mint a token.

python -m shared.launcher run                 broker + all four services (embedded default)
python -m shared.launcher serve inventory     migrate and serve one service
python -m shared.launcher migrate inventory   only migrate
python -m shared.launcher token --scope "inventory:read inventory:write"
python -m shared.launcher revision inventory -m "add lots"
python -m shared.launcher dlq-replay plantline.production.events.dlq   send dead letters back
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from shared.auth import ALL_SCOPES, mint_token
from shared.broker import ensure_topics
from shared.embedded_broker import EmbeddedBroker, port_open
from shared.migrations import migrate, revision
from shared.settings import SERVICES, InsecureSettings, Settings


def _settings(service: str) -> Settings:
    return Settings(service=service)


def cmd_migrate(service: str) -> None:
    """Migrate one service's database to the latest revision."""
    settings = _settings(service)
    asyncio.run(migrate(service, settings.resolved_database_url))


def cmd_serve(service: str) -> None:
    """Migrate and serve one service with uvicorn."""
    import uvicorn

    from shared.observability import configure_logging

    settings = _settings(service)
    configure_logging(service, settings.log_level, settings.log_json)
    try:
        settings.check_secrets()
    except InsecureSettings as exc:
        raise SystemExit(f"{service} refuses to start: {exc}") from exc
    cmd_migrate(service)
    app_module = importlib.import_module(f"services.{service}.app")
    uvicorn.run(
        app_module.create_app(settings),
        host=settings.http_host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
        # Longer than any client keeps an idle connection (httpx: 5 s), so the server never
        # closes one just as a client sends on it (the client would see a dropped request).
        timeout_keep_alive=75,
    )


def cmd_token(scope: str, subject: str, hours: int) -> None:
    """Print a development token signed with PLANTLINE_JWT_SECRET."""
    settings = Settings()
    print(mint_token(settings.jwt_secret, scope, subject, ttl_seconds=hours * 3600))


def cmd_dlq_replay(topic: str, from_start: bool, consumer_group: str | None) -> None:
    """Send a dead-letter topic's records back to their topics (the inboxes skip duplicates)."""
    from shared.dead_letters import replay_dead_letters

    report = asyncio.run(
        replay_dead_letters(Settings(), topic, from_start=from_start, consumer_group=consumer_group)
    )
    print(f"{report.topic}: {report.replayed} replayed, {report.skipped} left (other groups)")


def cmd_run() -> None:
    """Start the embedded broker (unless one is configured) and the four services."""
    settings = Settings()
    data_dir = settings.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    broker: EmbeddedBroker | None = None
    # Everything embedded on one machine is development: the built-in JWT secret is accepted.
    env = {"PLANTLINE_DEV_MODE": "true", **os.environ}
    if "PLANTLINE_KAFKA_BOOTSTRAP" not in os.environ:
        host, _, port = settings.kafka_bootstrap.rpartition(":")
        if port_open(host, int(port)):
            print(f"A broker already answers on {settings.kafka_bootstrap}; using it.")
        else:
            broker = EmbeddedBroker(int(port), host, log_path=data_dir / "broker.log")
            broker.start()
            print(f"Embedded broker (Tansu) on {broker.bootstrap}")
    asyncio.run(ensure_topics(settings))
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for service in SERVICES:
            log_file = open(data_dir / f"{service}.log", "ab")  # noqa: SIM115
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "shared.launcher", "serve", service],
                    env={**env, "PLANTLINE_SERVICE": service},
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                )
            )
        _wait_until_listening(children, settings)
        print("\nPlantline is running:")
        for service in SERVICES:
            print(
                f"  {service:<11} http://{settings.http_host}:{Settings(service=service).port}/docs"
            )
        print(f"\nLogs: {data_dir}/<service>.log   Token: make token   Stop: Ctrl-C")
        while not stopping:
            for child, service in zip(children, SERVICES, strict=True):
                if child.poll() is not None:
                    print(f"{service} exited with code {child.returncode}; stopping everything.")
                    stopping = True
            time.sleep(0.5)
    finally:
        print("Stopping...")
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
        if broker is not None:
            broker.stop()
        print("Stopped.")


def _wait_until_listening(children: list[subprocess.Popen[bytes]], settings: Settings) -> None:
    deadline = time.monotonic() + 120
    for service, child in zip(SERVICES, children, strict=True):
        port = Settings(service=service).port
        while not port_open(settings.http_host, port):
            if child.poll() is not None:
                log = Path(settings.data_dir) / f"{service}.log"
                raise SystemExit(f"{service} failed to start; see {log}")
            if time.monotonic() > deadline:
                raise SystemExit(f"{service} did not start in time")
            time.sleep(0.2)


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m shared.launcher",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="broker and all four services")
    for name in ("serve", "migrate"):
        sub = commands.add_parser(name)
        sub.add_argument("service", choices=SERVICES)
    token = commands.add_parser("token", help="mint a development JWT")
    token.add_argument("--scope", default=" ".join(ALL_SCOPES))
    token.add_argument("--subject", default="developer")
    token.add_argument("--hours", type=int, default=12)
    rev = commands.add_parser("revision", help="autogenerate a migration")
    rev.add_argument("service", choices=SERVICES)
    rev.add_argument("-m", "--message", required=True)
    replay = commands.add_parser(
        "dlq-replay", help="send a dead-letter topic's records back to the topics they came from"
    )
    replay.add_argument("topic", help="e.g. plantline.production.events.dlq")
    replay.add_argument(
        "--from-start",
        action="store_true",
        help="replay every record, not only those dead-lettered since the last replay",
    )
    replay.add_argument(
        "--consumer-group",
        help="replay only what this group dead-lettered, e.g. plantline.inventory",
    )
    args = parser.parse_args(argv)
    if args.command == "run":
        cmd_run()
    elif args.command == "serve":
        cmd_serve(args.service)
    elif args.command == "migrate":
        cmd_migrate(args.service)
    elif args.command == "token":
        cmd_token(args.scope, args.subject, args.hours)
    elif args.command == "revision":
        revision(args.service, args.message)
    elif args.command == "dlq-replay":
        cmd_dlq_replay(args.topic, args.from_start, args.consumer_group)


if __name__ == "__main__":
    main()
