"""Process tier. `invoke reviews`, run as an editor or CI runs it: pages with pinned review dates, soonest
first, overdue and due-soon marks, `--due-within`, exit codes; the real site; and the weekly
scheduled run in the publishing workflow."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, output_of
from test_tasks import invoke

TODAY = "2026-06-01"


def page(title: str, reviewed: str, next_review: str, lang: str = "", category: str = "") -> str:
    extra = (f"Lang: {lang}\n" if lang else "") + (f"Category: {category}\n" if category else "")
    return (f"Title: {title}\nDate: 2025-01-01\nReviewed: {reviewed}\nNext_review: {next_review}\n{extra}"
            "Summary: A page.\n\nText.\n")


# Next reviews relative to TODAY: 10 days overdue, today, in 30, in 59, in 61 and in 200 days.
PAGES = {
    "guides/overdue.md": page("Overdue guide", "2025-05-22", "2026-05-22"),
    "conditions/due-today.md": page("Due today", "2025-06-01", "2026-06-01"),
    "guides/due-soon.es.md": page("Guía pronto", "2025-07-01", "2026-07-01", lang="es"),
    "es/conditions/due-in-59.md": page("Condición", "2025-07-30", "2026-07-30", lang="es"),
    "guides/due-in-61.md": page("Later guide", "2025-08-01", "2026-08-01"),
    "extra-folder/filed-as-guide.md": page("Filed by category", "2025-12-18", "2026-12-18", category="guides"),
    "pages/about.md": "Title: About\nSummary: No review dates.\n\nText.\n",
    "guides/readme.txt": "not Markdown",
}
IN_ORDER = ["guides/overdue.md", "conditions/due-today.md", "guides/due-soon.es.md", "es/conditions/due-in-59.md",
            "guides/due-in-61.md", "extra-folder/filed-as-guide.md"]


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    for name, text in PAGES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    return folder


def rows(output: str) -> dict[str, str]:
    """Page key -> its report line (of the review dates; the sign-offs follow: test_signoff.py)."""
    found = {}
    for line in output.split("\nSign-offs")[0].splitlines():
        if match := re.search(r"\s((?:[\w.-]+/)+[\w.-]+\.md)\b", line):
            found[match.group(1)] = line
    return found


def test_every_page_with_review_dates_is_listed_soonest_first_with_its_marks(content):
    run = invoke("reviews", "--today", TODAY, "--content", str(content))
    assert run.returncode == 1, run.stdout + run.stderr  # one page is overdue
    listed = rows(run.stdout)
    assert list(listed) == IN_ORDER  # pages without review dates are left out
    assert "OVERDUE by 10 days" in listed["guides/overdue.md"]
    assert "due today" in listed["conditions/due-today.md"]
    assert "due in 30 days" in listed["guides/due-soon.es.md"]
    assert "due in 59 days" in listed["es/conditions/due-in-59.md"]
    for key in ("guides/due-in-61.md", "extra-folder/filed-as-guide.md"):
        assert "due" not in listed[key].lower().replace(key, ""), listed[key]
    line = listed["guides/overdue.md"]
    assert "2026-05-22" in line and "2025-05-22" in line and "Overdue guide" in line
    assert re.search(r"\ses\s", listed["guides/due-soon.es.md"]), "translations show their language"
    assert "6 pages with review dates: 1 overdue, 3 due in the next 60 days." in run.stdout
    assert "overdue" in run.stderr.lower() and "Traceback" not in run.stderr


def test_due_within_lists_only_the_pages_due_in_that_many_days(content):
    run = invoke("reviews", "--today", TODAY, "--due-within", "30", "--content", str(content))
    assert run.returncode == 1
    assert list(rows(run.stdout)) == ["guides/overdue.md", "conditions/due-today.md", "guides/due-soon.es.md"]
    assert "1 overdue, 2 due in the next 30 days" in run.stdout


def test_no_overdue_page_exits_zero(content):
    (content / "guides" / "overdue.md").unlink()
    run = invoke("reviews", "--today", TODAY, "--content", str(content))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 overdue" in run.stdout
    quiet = invoke("reviews", "--today", "2026-01-01", "--due-within", "7", "--content", str(content))
    assert quiet.returncode == 0 and "No page is due." in quiet.stdout


def test_a_page_whose_dates_cannot_be_read_is_named_and_fails(content):
    (content / "guides" / "broken.md").write_text(page("Broken", "2025-06-01", "next spring"), "utf-8")
    run = invoke("reviews", "--today", "2026-01-01", "--content", str(content))
    assert run.returncode == 1
    assert "content/guides/broken.md: line 4 (Next_review): 'next spring' is not a date" in run.stdout
    assert list(rows(run.stdout))[0] == "guides/broken.md"


@pytest.mark.parametrize("args, message", [
    (["--today", "tomorrow"], "--today 'tomorrow' is not a date"),
    (["--due-within", "soon"], "--due-within 'soon' is not a number of days"),
])
def test_bad_options_say_what_to_write(content, args, message):
    run = invoke("reviews", *args, "--content", str(content))
    assert run.returncode == 2 and message in run.stderr
    assert "Traceback" not in run.stderr


def test_the_real_site_lists_every_built_guide_and_condition_page(site):
    run = invoke("reviews", "--today", "2026-11-26")
    assert run.returncode == 0, run.stdout + run.stderr
    listed = rows(run.stdout)
    built = set(site.article_pages())
    assert {output_of(ROOT / "content" / key) for key in listed} == built
    assert len(listed) == len(built)


def test_the_workflow_runs_the_report_weekly_and_publishes_only_from_main():
    text = (ROOT / ".github" / "workflows" / "publish.yml").read_text()
    assert re.search(r"^  schedule:\n    - cron: \"[^\"]+\"", text, re.M), "no weekly schedule"
    reviews = re.search(r"^  reviews:\n((?:    .*\n|\n)*)", text, re.M)
    assert reviews and "invoke reviews" in reviews.group(1)
    assert "github.event_name == 'schedule'" in reviews.group(1)
    test_job = re.search(r"^  test:\n((?:    .*\n)*)", text, re.M).group(1)
    assert "if: github.event_name != 'schedule'" in test_job, "the schedule must not run the test suite"
    build_job = re.search(r"^  build:\n((?:    .*\n)*)", text, re.M).group(1)
    assert "if: github.event_name == 'push' && github.ref == 'refs/heads/main'" in build_job
