"""`invoke publish`: the settings it reads from the environment, checked before anything
runs, and the rsync command it runs, as a list of arguments (no shell ever reads them).

A value with a space, a quote, `;`, `$(...)` or a line break is refused with the setting's
name and what to write, so nothing in the environment can become a command.
"""

from __future__ import annotations

import re

from .settings_checks import url_problem

# A host name (letters, digits, hyphens, dot-separated labels) or an IPv4 address.
HOST = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\Z")
USER = re.compile(r"[a-z_][a-z0-9_.-]{0,31}\Z", re.I)
# An absolute path of plain segments: letters, digits, dot, underscore, hyphen, plus, tilde.
PATH = re.compile(r"/(?:[A-Za-z0-9._+~-]+/?)*\Z")

REQUIRED = {
    "SITEURL": "the live site's address, e.g. https://prp.example.org",
    "PUBLISH_SSH_HOST": "the server to copy the site to, e.g. www.example.org",
    "PUBLISH_SSH_PATH": "the folder on that server the web server serves, e.g. /var/www/prp",
}


def problems(environ) -> list[str]:
    """Every problem with the publish settings in `environ`, each naming the setting."""
    found = [f"{name} is not set: {what}" for name, what in REQUIRED.items() if not environ.get(name)]
    siteurl = environ.get("SITEURL", "")
    if siteurl and (problem := url_problem("SITEURL", siteurl.rstrip("/"))):
        found.append(problem)
    host = environ.get("PUBLISH_SSH_HOST", "")
    if host and not HOST.match(host):
        found.append(f"PUBLISH_SSH_HOST {host!r} is not a host name; write only the server's name, "
                     "e.g. www.example.org (letters, digits, dots and hyphens)")
    path = environ.get("PUBLISH_SSH_PATH", "")
    if path and (not PATH.match(path) or "/../" in f"{path}/" or "/./" in f"{path}/"):
        found.append(f"PUBLISH_SSH_PATH {path!r} is not an absolute folder path; write one such as "
                     "/var/www/prp (letters, digits, . _ - + ~ between slashes, no spaces, quotes, "
                     "$, ; or ..)")
    user = environ.get("PUBLISH_SSH_USER", "")
    if user and not USER.match(user):
        found.append(f"PUBLISH_SSH_USER {user!r} is not a user name; write a login name such as deploy "
                     "(letters, digits, _ . -)")
    port = environ.get("PUBLISH_SSH_PORT", "22")
    if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        found.append(f"PUBLISH_SSH_PORT {port!r} is not a port number; write a whole number from 1 to "
                     "65535, e.g. 22")
    return found


def rsync_command(environ, output: str) -> list[str]:
    """The rsync command that copies `output` to the server; call only once problems() is
    empty. Each value is one argument, and the host and path were checked to hold no option,
    space or shell character (ssh runs the remote side's command through a shell)."""
    user = environ.get("PUBLISH_SSH_USER")
    target = f"{user + '@' if user else ''}{environ['PUBLISH_SSH_HOST']}:{environ['PUBLISH_SSH_PATH']}"
    port = str(int(environ.get("PUBLISH_SSH_PORT", "22")))
    return ["rsync", "--delete", "--exclude", ".DS_Store", "-pthrvz", "-c",
            "-e", f"ssh -p {port}", "--", f"{output}/", target]


BRANCH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]{0,99}\Z")


def branch_problem(branch: str) -> str | None:
    """`invoke gh-pages --branch`: a plain branch name, never an option for ghp-import."""
    if BRANCH.match(branch) and ".." not in branch and not branch.endswith((".lock", "/", ".")):
        return None
    return (f"--branch {branch!r} is not a plain branch name; write one such as gh-pages "
            "(letters, digits, . _ - /)")
