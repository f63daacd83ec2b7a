"""Every way a build can fail ends in a message naming the file (and line or setting) and
how to fix it: no traceback, a non-zero exit, the last good site untouched, no leftover
folder (even after Ctrl-C) and nothing written outside the output folder."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from samples import GUIDE, GUIDE_FILE, LABEL, PAGE, problems_of, replace

DATA = ROOT / "content" / "data"


def data_with(name: str, old: str, new: str) -> dict[str, str]:
    """A content file set whose data file `name` has one change."""
    return {GUIDE_FILE: GUIDE, f"data/{name}": replace((DATA / name).read_text(), old, new)}


CASES = {
    "menu that is not a number": (
        {GUIDE_FILE: GUIDE, "pages/ok.md": replace(PAGE, "Summary:", "Menu: two\nSummary:")},
        "content/pages/ok.md: line 2 (Menu): 'two' is not a whole number; write a number, e.g. Menu: 3",
    ),
    "order that is not a number": (
        {GUIDE_FILE: replace(GUIDE, "Summary:", "Order: first\nSummary:")},
        f"{LABEL}: line 5 (Order): 'first' is not a whole number; write a number, e.g. Order: 3",
    ),
    "template that does not exist": (
        {GUIDE_FILE: GUIDE, "pages/ok.md": replace(PAGE, "Summary:", "Template: pgae\nSummary:")},
        "content/pages/ok.md: line 2 (Template): there is no template 'pgae' in the theme; use one of",
    ),
    "glossary term that is not text": (
        data_with("glossary.toml", 'term = "Allogeneic"', "term = 5"),
        "data/glossary.toml: [allogeneic]: 'term' must be text in quotes",
    ),
    "glossary entry that is not a table": (
        {GUIDE_FILE: GUIDE, "data/glossary.toml": 'stray = "x"\n' + (DATA / "glossary.toml").read_text()},
        "data/glossary.toml: [stray]: must be a [stray] section with term and definition",
    ),
    "evidence scale that is not a list": (
        {GUIDE_FILE: GUIDE, "data/evidence.toml": 'scale = "none"\n' + (DATA / "evidence.toml").read_text().replace("[[scale]]", "[[old-scale]]")},
        "data/evidence.toml: scale: must be a list of [[scale]] entries",
    ),
    "evidence refs that are not a list": (
        data_with("evidence.toml", 'refs = ["white2021"] }', 'refs = "white2021" }'),
        "data/evidence.toml: use 'acne': prp: 'refs' must be a list of keys in quotes",
    ),
    "deeply nested list": (
        {GUIDE_FILE: replace(GUIDE, "Some risks.", "Some risks.\n\n" + "".join("    " * i + "- x\n" for i in range(300)))},
        f"{LABEL}: line 39: lists or quotes are nested 299 levels deep, more than 20",
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_each_mistake_is_named_with_its_file_and_fix(make_site, files, expected):
    problems = problems_of(make_site, files)
    assert any(p.startswith(expected) or (expected in p and p.startswith("content/")) for p in problems), problems
    assert len(problems) < 5, problems  # one mistake, not dozens of consequences
