"""Small, valid content files that tests copy and then break one rule at a time, and the
helpers those tests share."""

import pytest

from sitebuild import BuildFailed

GUIDE_FILE = "guides/test-guide.md"
LABEL = "content/guides/test-guide.md"  # how problems in GUIDE_FILE are named

GUIDE = """\
Title: A test guide
Date: 2026-01-10
Reviewed: 2026-06-01
Next_review: 2027-06-01
Summary: A short summary of a test guide.

!!! key-points "Key points"
    - One key point.

## About it

Some text that cites a source [@bennell2021].

## Risks and side effects

A review lists risks [@arita2024]. Some risks.

## Regulatory status

A guideline describes it [@kolasinski2020]. Some status.

## Questions to ask

- A question?
"""

PAGE = """\
Title: A test page
Summary: A short summary of a test page.

Some text.
"""


def case_file(group: str, index: int, lang: str = "") -> str:
    """Where case `index` of a group of broken pages lives in the group's one small site, so
    one build proves every case (the build reports every file's problems at once)."""
    return f"guides/{group}-{index}{'.' + lang if lang else ''}.md"


def case_label(group: str, index: int, lang: str = "") -> str:
    """How problems in that case's file are named."""
    return f"content/{case_file(group, index, lang)}"


def replace(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced once; fails loudly when `old` is not there, so a test
    can never pass because its bad input was never made."""
    assert old in text, f"sample does not contain {old!r}"
    return text.replace(old, new, 1)


def problems_of(make_site, files, **overrides) -> list[str]:
    """The problems of a build that must fail."""
    with pytest.raises(BuildFailed) as failure:
        make_site(files, **overrides)
    return failure.value.problems


def read_metadata(path) -> dict[str, str]:
    """The metadata block of a Markdown file, read without Pelican: lowercased names."""
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return fields
