"""The README's promises: its two commands are what CI runs, and its settings are real."""

from __future__ import annotations

import re
from pathlib import Path

from compliance.store.url import ENV_VARIABLE

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", README, flags=re.S)]


def test_readme_opens_with_the_run_and_test_commands():
    run, test = _code_blocks()[:2]
    assert README.index("```bash") < README.index("\n## ")
    assert run.endswith("streamlit run dashboard.py")
    assert "compliance demo --if-empty" in run
    assert test.endswith("-m pytest -n 2")
    for command in (run, test):
        assert command.startswith("python3.11 -m venv .venv && ")
        assert "\n" not in command


def test_ci_runs_exactly_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert script[-1] == _code_blocks()[1]


def test_every_setting_is_documented():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    keys = re.findall(r"^(\w+)\s*=", config, flags=re.M)
    sections = re.findall(r"^\[(\w+)\]", config, flags=re.M)
    assert {"server", "client"} <= set(sections)
    for key in ("maxUploadSize", "showErrorDetails"):
        assert key in keys
        assert f"`server.{key}`" in README or f"`client.{key}`" in README
    assert f"`{ENV_VARIABLE}`" in README
