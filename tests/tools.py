"""Tools the tests need from outside Python (Chromium, Java, Node packages).

Locally a missing tool skips the tests that need it, with a message saying how to install it.
In CI (CI=true) a missing tool is a failure: a skipped check must never look like a pass."""

import os

import pytest


def require(available: bool, message: str) -> None:
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {message}")
    pytest.skip(message)
