"""No task runs a shell; publish settings are checked first. Tier: unit.

`invoke publish` checks its settings (host, absolute path, port,
user) before anything runs and hands rsync an argument list; no task builds a command line
from a string. Tier: unit (plus one `invoke publish` process)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from sitebuild import publishing

GOOD = {"SITEURL": "https://prp.example.org", "PUBLISH_SSH_HOST": "www.example.org",
        "PUBLISH_SSH_PATH": "/var/www/prp", "PUBLISH_SSH_USER": "deploy", "PUBLISH_SSH_PORT": "2222"}

HOSTILE = {
    "SITEURL": ["https://prp.example.org\" onload=\"x", "http://prp.example.org", "https://a.org/ b",
                "https://a.org/?q=1", "https://user@a.org", "javascript:alert(1)"],
    "PUBLISH_SSH_HOST": ["www.example.org; touch x", "-oProxyCommand=touch x", "host name", "$(id)",
                         "`id`", "a|b", "example.org\nid", "user@example.org", "host:22", "ex'ample.org"],
    "PUBLISH_SSH_PATH": ["/srv/site; touch x", "srv/site", "/srv/$(touch x)", "/srv/`id`", "/srv/a b",
                         "/srv/../../etc", "~/site", "/srv/'x'", "/srv/x\ny", "/srv/x&&y", "/srv/*"],
    "PUBLISH_SSH_PORT": ["22 $(touch x)", "22; id", "0", "65536", "-1", "22.0", "ssh", "２２", "2 2"],
    "PUBLISH_SSH_USER": ["root; id", "-oProxyCommand=x", "a b", "$(id)", "us`er", "user@host"],
}


@pytest.mark.parametrize("name,value", [(n, v) for n, values in HOSTILE.items() for v in values])
def test_each_hostile_publish_setting_is_refused_by_name(name, value):
    found = publishing.problems({**GOOD, name: value})
    assert len(found) == 1 and found[0].startswith(f"{name} {value!r} "), found


@pytest.mark.parametrize("branch", ["--push", "-b", "gh pages", "a;b", "$(id)", "a..b", "x.lock", "`id`", ""])
def test_gh_pages_refuses_a_branch_that_is_not_a_plain_name(branch):
    assert publishing.branch_problem(branch) is not None
    assert publishing.branch_problem("gh-pages") is None and publishing.branch_problem("site/main") is None


def test_good_settings_give_an_argument_list():
    assert publishing.problems(GOOD) == []
    command = publishing.rsync_command(GOOD, "/x/output")
    assert command[0] == "rsync" and command[-2:] == ["/x/output/", "deploy@www.example.org:/var/www/prp"]
    assert command[command.index("-e") + 1] == "ssh -p 2222" and "--" in command


@pytest.mark.process
def test_invoke_publish_runs_nothing_with_hostile_settings(tmp_path):
    """Every hostile value at once: each is named, exit code 2, no rsync, no build."""
    marker = tmp_path / "ran"
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "rsync").write_text(f"#!/bin/sh\ntouch {marker}\n")
    (fake / "rsync").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBLISH_")}
    env.update({"SITEURL": GOOD["SITEURL"], "PATH": f"{fake}:{env['PATH']}", "PUBLISH_SSH_HOST": "h; touch " + str(marker),
                "PUBLISH_SSH_PATH": f"/srv/$(touch {marker})", "PUBLISH_SSH_PORT": f"22 `touch {marker}`",
                "PUBLISH_SSH_USER": f"u;touch {marker}"})
    run = subprocess.run([sys.executable, "-m", "invoke", "publish"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    for name in ("PUBLISH_SSH_HOST", "PUBLISH_SSH_PATH", "PUBLISH_SSH_PORT", "PUBLISH_SSH_USER"):
        assert f"{name} '" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr + run.stdout and "Built" not in run.stdout
    assert not marker.exists()


def test_no_task_builds_a_command_line_from_a_string():
    """tasks.py and sitebuild/ call no shell: no Context.run, os.system, os.popen, shell=True."""
    for path in [ROOT / "tasks.py", *sorted((ROOT / "sitebuild").glob("*.py"))]:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                assert name not in {"c.run", "c.sudo", "os.system", "os.popen"}, (path.name, node.lineno)
                for keyword in node.keywords:
                    assert not (keyword.arg == "shell" and ast.unparse(keyword.value) != "False"), (path.name, node.lineno)
                if name.startswith("subprocess."):
                    assert not isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp)), (path.name, node.lineno)
