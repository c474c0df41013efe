"""The built-in demo force: load it (its files and one account per role) and remove it.

The demo goes only into a store with no real force (the store refuses mixing, see
``compliance.store.demo``); its imports are marked demo, so every page and export can say
so, and removing it is one audited action that withdraws them and disables its accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from compliance import auth

if TYPE_CHECKING:
    from compliance.store import Store

DATA = Path(__file__).resolve().parents[1] / "data"
DEMO_FILES: tuple[tuple[str, str], ...] = (
    ("requirements", "requirements.yaml"),
    ("roster", "demo/hr_roster.xlsx"),
    ("completions", "demo/lms_completions.csv"),
    ("completions", "demo/learning_platform.xlsx"),
    ("completions", "demo/course_matrix.xlsx"),
    ("completions", "demo/completion-managing_information (1).csv"),
    ("exemptions", "demo/exemptions.csv"),
)
DEMO_ACCOUNTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("demo-admin", "admin", ()),
    ("demo-manager", "manager", ()),
    ("demo-viewer", "viewer", ("North Division",)),
    ("demo-auditor", "auditor", ()),
)
"""(name, role, units): one account per role, the viewer limited to one division."""
BANNER = "Demo data - fictional force"


@dataclass(frozen=True)
class DemoAccount:
    name: str
    password: str
    role: str
    units: tuple[str, ...]

    def lines(self) -> list[str]:
        """As DESIGN says the demo prints each account."""
        out = [f"demo account {self.name} password {self.password} role {self.role}"]
        if self.units:
            out.append(f"units {'; '.join(self.units)}")
        return out


def load(store: Store, *, user: str) -> tuple[list[str], list[DemoAccount]]:
    """Import the demo files (marked demo) and make sure each demo account exists; the
    import messages and the accounts with their (fictional) passwords."""
    messages = []
    for kind, name in DEMO_FILES:
        path = DATA / name
        outcome = store.import_file(kind, path.read_bytes(), path.name, user=user, demo=True)
        messages.append(outcome.message)
    return messages, _accounts(store, user)


def _accounts(store: Store, user: str) -> list[DemoAccount]:
    accounts = store.accounts
    for name, role, units in DEMO_ACCOUNTS:
        if accounts.get(name) is None:
            password = auth.new_password()
            accounts.add(
                name, role=role, units=units, email=None,
                password_hash=auth.hash_password(password), by=user, demo_password=password,
            )
    listed = accounts.demo_accounts().set_index("name")
    return [
        DemoAccount(name, str(listed.loc[name, "password"]), role, units)
        for name, role, units in DEMO_ACCOUNTS
        if name in listed.index
    ]


def remove(store: Store, *, user: str) -> str:
    """Withdraw every demo import and disable the demo accounts; what was done, in words."""
    withdrawn, disabled = store.remove_demo(user=user)
    if not withdrawn and not disabled:
        return "No demo force is loaded: nothing to remove"
    return (
        f"Removed the demo force: withdrew {withdrawn} demo imports (kept, marked withdrawn) "
        f"and disabled {disabled} demo accounts"
    )
