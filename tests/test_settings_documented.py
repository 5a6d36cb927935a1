"""Every server setting is documented in the README's settings table (Datasette's rule)."""

import re
from pathlib import Path

from election_kg.server.settings import documentation

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_has_a_row_in_the_readme():
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", README, flags=re.M))
    missing = [name for name, _default, _help in documentation() if name not in rows]
    assert missing == [], f"add these settings to the README's settings table: {missing}"


def test_every_setting_has_help_text():
    assert all(len(help_text) > 20 for _name, _default, help_text in documentation())
