"""The README's promises: its two commands are what CI runs, and its settings are real."""

from __future__ import annotations

import re
import tomllib
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


ENVIRONMENT_READ = re.compile(
    r"""environ(?:\.get)?[(\[]\s*["']([A-Z][A-Z0-9_]+)["']|getenv\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|^[A-Z_]*ENV[A-Z_]* = ["']([A-Z][A-Z0-9_]+)["']""",
    flags=re.M,
)
SOURCES = ("dashboard.py", "compliance", "loaders", "pages", "tests", "data")


def _config_keys() -> set[str]:
    """Every ``section.key`` set in ``.streamlit/config.toml``."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return {f"{section}.{key}" for section, values in config.items() for key in values}


def _environment_variables() -> set[str]:
    """Every environment variable the code (and the test suite) reads."""
    names: set[str] = set()
    for source in SOURCES:
        path = ROOT / source
        for file in [path] if path.is_file() else path.rglob("*.py"):
            for match in ENVIRONMENT_READ.finditer(file.read_text(encoding="utf-8")):
                names.update(name for name in match.groups() if name)
    return names


def test_every_setting_is_documented():
    settings = _config_keys() | _environment_variables()
    assert {"server.maxUploadSize", "client.showErrorDetails", ENV_VARIABLE, "CI"} <= settings
    table = README[README.index("## Settings"):]
    missing = sorted(name for name in settings if f"`{name}`" not in table)
    assert not missing, f"settings missing from the README's Settings table: {missing}"


def test_the_pictures_the_readme_shows_are_the_ones_the_screenshot_command_takes():
    from tests.screenshots import SHOTS

    shown = re.findall(r"!\[[^\]]*\]\((docs/[^)]+)\)", README)
    assert sorted(shown) == sorted(f"docs/{name}.png" for name in SHOTS)
    assert all((ROOT / path).is_file() for path in shown)
    assert "python -m tests.screenshots" in README
