"""The suite never sees this machine's settings: not its environment, not a `.env` file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT, get_settings

PROBE = Path(__file__).with_name("isolation_probe.py")
DOTENV = "CHROMA_HOST=127.0.0.1\nCHROMA_PORT=1\nCAREERBOT_LLM_BASE_URL=http://127.0.0.1:1\n"


def test_a_dotenv_in_the_cwd_is_ignored_by_settings_in_tests(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text(DOTENV)
    monkeypatch.chdir(tmp_path)
    assert get_settings().chroma_host is None
    # Outside the suite the same file is read: the switch, not a missing file, keeps it out.
    monkeypatch.delenv("CAREERBOT_ENV_FILE")
    assert get_settings().chroma_host == "127.0.0.1"


def test_the_suite_ignores_the_machines_environment_and_dotenv(tmp_path):
    """pytest in a subprocess, started the way a developer with a server configured would."""
    (tmp_path / ".env").write_text(DOTENV)
    env = {name: value for name, value in os.environ.items() if name != "CAREERBOT_ENV_FILE"}
    env |= {
        "CHROMA_HOST": "127.0.0.1",
        "CHROMA_PORT": "1",
        "CAREERBOT_LLM_BASE_URL": "http://127.0.0.1:1",
        "CAREERBOT_LLM_MODEL": "some-model",
        "TELEGRAM_BOT_TOKEN": "123:machine-token",
        "CAREERBOT_TEST_POSTGRES_URL": "postgresql://kept-for-the-db-fixtures",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(PROBE)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
