"""Build tier. Our code uses other packages through their public APIs only, and the build keeps no cache
that could carry code (issues 23 and 24). It reads the source, and builds once.

The scan reads plugins/, sitebuild/, tasks.py and the settings with `ast`, and fails on:
- importing a private name of another package (`from textstat.backend.utils import _x`,
  `import a._b`);
- reading a private name off another package's module or class (`LimitFilter._raised`,
  `textstat.backend._x`), however it was imported;
- a private attribute our code never defines, on any object (`signal._clear_state()`,
  `writer._open_w`): it can only be someone else's.
Names like `__dict__` are Python's own, and allowed. So are the two attributes Pelican's
content objects give plugins for their HTML (ALLOWED_ATTRIBUTES).
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from conftest import ROOT, SETTINGS_DEV, SETTINGS_PROD

SOURCES = sorted([*(ROOT / "plugins").rglob("*.py"), *(ROOT / "sitebuild").rglob("*.py"),
                  ROOT / "tasks.py", SETTINGS_DEV, SETTINGS_PROD])
OURS = {"medical_content", "minify_output", "sitebuild", "tasks", "pelicanconf", "publishconf"}
# Pelican's Content keeps a page's HTML in `_content` (and its summary in `_summary`): the
# `content` property resolves {filename} links, which must not run yet while a plugin edits
# the page in `content_object_init`. Pelican's plugin documentation and its own plugins
# write these; there is no public setter.
ALLOWED_ATTRIBUTES = {"_content", "_summary"}


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def ours(module: str | None, level: int = 0) -> bool:
    return level > 0 or (module or "").split(".")[0] in OURS


def defined_names(trees: list[ast.AST]) -> set[str]:
    """Every private name our code defines: functions, classes, variables, attributes it
    assigns (`self._x = ...`), parameters, and names it imports from itself."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
    return {n for n in names if private(n)}


def foreign_bindings(tree: ast.AST) -> set[str]:
    """Names a module binds to another package's modules, classes or functions."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not ours(alias.name):
                    bound.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and not ours(node.module, node.level):
            bound |= {alias.asname or alias.name for alias in node.names}
    return bound


def root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def reaches(source: str, ours_defines: set[str] = frozenset()) -> list[str]:
    """Each reach into another package's private names in `source`, as `line: what`."""
    tree = ast.parse(source)
    foreign = foreign_bindings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if not ours(a.name) and any(map(private, a.name.split(".")))]
        elif isinstance(node, ast.ImportFrom) and not ours(node.module, node.level):
            path = (node.module or "").split(".")
            found += [f"{node.lineno}: from {node.module} import {a.name}" for a in node.names
                      if private(a.name) or any(map(private, path))]
        elif isinstance(node, ast.Attribute) and private(node.attr):
            if root_name(node) in foreign:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
            elif node.attr not in ours_defines and node.attr not in ALLOWED_ATTRIBUTES:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"getattr", "setattr", "hasattr"}:
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and private(name.value) \
                    and name.value not in ours_defines and name.value not in ALLOWED_ATTRIBUTES:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_code_of_ours_reaches_into_another_packages_private_names():
    trees = {path: path.read_text("utf-8") for path in SOURCES}
    assert len(trees) > 20
    defines = defined_names([ast.parse(text) for text in trees.values()])
    found = [f"{path.relative_to(ROOT)}:{line}" for path, text in trees.items() for line in reaches(text, defines)]
    assert found == []


@pytest.mark.parametrize("source, expected", [
    ("from pelican.log import LimitFilter\nLimitFilter._raised_messages.clear()", ["2: LimitFilter._raised_messages"]),
    ("import textstat\ntextstat.backend._x(1)", ["2: textstat.backend._x"]),
    ("from textstat.backend.utils._get_pyphen import get_pyphen", ["1: from textstat.backend.utils._get_pyphen import get_pyphen"]),
    ("from re import _parser", ["1: from re import _parser"]),
    ("import re._parser as p", ["1: import re._parser"]),
    ("import pyphen as p\np.HyphDict.__new__(p.HyphDict).cache\np._hidden", ["3: p._hidden"]),
    ("def f(signal):\n    signal._clear_state()", ["2: signal._clear_state"]),
    ("def f(w):\n    return getattr(w, '_open_w')", ["2: getattr(w, '_open_w')"]),
], ids=["class attribute", "module attribute", "private module", "private name", "import as",
        "dunder allowed", "unknown object", "getattr"])
def test_the_scan_finds_each_form(source, expected):
    assert reaches(source) == expected


def test_the_scan_allows_our_own_private_names():
    source = ("from . import _helpers\nfrom medical_content import _x\n"
              "class A:\n    def __init__(self):\n        self._made = 1\n    def f(self):\n"
              "        return self._made, _helpers._y, A.__dict__, page._content\n")
    tree = ast.parse(source)
    assert reaches(source, defined_names([tree]) | {"_y"}) == []


def test_no_cache_is_kept_and_nothing_is_written_in_the_working_tree(tmp_path):
    """Pelican's reader cache stores pickles (loading one runs code): it is off in both
    settings files, no cache folder is set, and a build writes nothing under the project
    but its output folder."""
    import runpy

    values = runpy.run_path(str(SETTINGS_DEV))  # publishconf.py changes none of these
    assert values["CACHE_CONTENT"] is False and values["LOAD_CONTENT_CACHE"] is False
    for settings in (SETTINGS_DEV, SETTINGS_PROD):
        text = settings.read_text("utf-8")
        assert "CACHE_CONTENT = True" not in text and "bytecode_cache" not in text and "CACHE_PATH" not in text
    for path in SOURCES:
        tree = ast.parse(path.read_text("utf-8"))
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                    for a in (n.names if isinstance(n, ast.Import) else [ast.alias(n.module or "")])}
        assert not imported & {"pickle", "marshal", "shelve", "dill"}, path
    before = set(subprocess.run(["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--directory"],
                                cwd=ROOT, capture_output=True, text=True).stdout.split())
    run = subprocess.run([sys.executable, "-m", "sitebuild", "pelicanconf.py", "--output", str(tmp_path / "out")],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    after = set(subprocess.run(["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--directory"],
                               cwd=ROOT, capture_output=True, text=True).stdout.split())
    assert after - before <= {"plugins/medical_content/__pycache__/", "plugins/minify_output/__pycache__/",
                              "sitebuild/__pycache__/"}
    assert not (ROOT / "cache").exists()
