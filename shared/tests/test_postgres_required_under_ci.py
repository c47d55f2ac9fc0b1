"""Under CI, a PostgreSQL test whose server does not answer fails instead of skipping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shared.embedded_broker import free_port

NEEDS_POSTGRES = "async def test_needs_a_database(databases):\n    assert databases\n"


def _run(folder: Path, ci: str | None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PLANTLINE_TEST_POSTGRES_PORT"] = str(free_port())  # nothing answers there
    if ci is not None:
        env["CI"] = ci
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "shared.testing.plugin",
            "-o",
            "asyncio_mode=auto",
            "-k",
            "postgresql",
            str(folder / "test_needs_postgres.py"),
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return result.returncode, result.stdout


def test_a_postgresql_test_fails_under_ci_and_skips_elsewhere_when_postgresql_does_not_answer(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_needs_postgres.py").write_text(NEEDS_POSTGRES)
    code, output = _run(tmp_path, "true")
    assert code != 0 and "skipped" not in output and "CI=true" in output
    code, output = _run(tmp_path, None)
    assert code == 0 and "1 skipped" in output
