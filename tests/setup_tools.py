"""Install the tools the test suite needs beyond pip packages: Debian's Chromium and HAProxy.

Run by the README's test command before pytest. On a machine where it cannot install
(no apt-get, not root) it says so and the tests needing the tool skip with that reason
(the browser tests, ``serve`` through its proxy), except under ``CI=true`` where they
fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"
HAPROXY = "/usr/sbin/haproxy"
TOOLS = {"chromium": CHROMIUM, "haproxy": HAPROXY}
"""Debian package -> the program it installs."""


def _install(missing: dict[str, str]) -> str | None:
    """Install the ``missing`` packages; None when every program is then there, else why not."""
    if not missing:
        return None
    packages = " ".join(missing)
    if shutil.which("apt-get") is None:
        return f"apt-get not found: install {packages} by hand to run the tests that need them"
    if os.geteuid() != 0:
        return f"not root: run `sudo apt-get install -y {packages}` to run the tests needing them"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            return f"{' '.join(command)} failed: {result.stderr.strip()[-300:]}"
    absent = [f"{package} installed no {path}" for package, path in missing.items()
              if not os.path.exists(path)]
    return "; ".join(absent) or None


def main() -> int:
    problem = _install({package: path for package, path in TOOLS.items()
                        if not os.path.exists(path)})
    if problem is None:
        print(f"setup_tools: ready: {', '.join(TOOLS.values())}")
        return 0
    print(f"setup_tools: {problem}", file=sys.stderr)
    return 1 if os.environ.get("CI") == "true" else 0


if __name__ == "__main__":
    sys.exit(main())
