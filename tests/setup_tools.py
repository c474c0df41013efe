"""Install the tools the test suite needs beyond pip packages (Debian's Chromium).

Run by the README's test command before pytest. On a machine where it cannot install
(no apt-get, not root) it says so and the browser tests skip with that reason, except
under ``CI=true`` where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def _install_chromium() -> str | None:
    """Return None when Chromium is available, else why it is not."""
    if os.path.exists(CHROMIUM):
        return None
    if shutil.which("apt-get") is None:
        return "apt-get not found: install Chromium by hand to run the browser tests"
    if os.geteuid() != 0:
        return "not root: run `sudo apt-get install -y chromium` to run the browser tests"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            return f"{' '.join(command)} failed: {result.stderr.strip()[-300:]}"
    return None if os.path.exists(CHROMIUM) else "chromium package installed no /usr/bin/chromium"


def main() -> int:
    problem = _install_chromium()
    if problem is None:
        print(f"setup_tools: Chromium ready at {CHROMIUM}")
        return 0
    print(f"setup_tools: {problem}", file=sys.stderr)
    return 1 if os.environ.get("CI") == "true" else 0


if __name__ == "__main__":
    sys.exit(main())
