"""Build tier. Hostile inputs (tests/hostile/, one folder per class of attack), each built with the
production settings: the build fails, names every file and what is wrong with it, and
publishes nothing. See tests/hostile/README.md."""

from __future__ import annotations

import os
import shutil
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conftest import PINNED_TODAY, ROOT, SETTINGS_PROD, SITE_URL, TEST_SITE_SETTINGS, add_real_data
from medical_content.rules import checks
from medical_content.rules import html_checks
from medical_content.rules import wording
from samples import GUIDE, replace
from sitebuild import BuildFailed, build

HOSTILE = Path(__file__).parent / "hostile"


def hostile_content(name: str, destination: Path) -> Path:
    """The folder tests/hostile/<name> as a content folder, with the real data files."""
    content = destination / "content"
    source = HOSTILE / name
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        target = content / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if path.suffix == ".md" and not data.startswith(b"Title:"):
            data = replace(GUIDE, "Some risks.", data.decode("utf-8")).encode("utf-8")
        target.write_bytes(data)
    add_real_data(content)
    return content


def production_build(content: Path, output: Path, monkeypatch, **overrides):
    monkeypatch.setenv("SITEURL", SITE_URL)
    settings = {"PATH": str(content), **TEST_SITE_SETTINGS, **overrides}
    return build(SETTINGS_PROD, output_path=output, overrides=settings)


def failed_build(content: Path, tmp_path: Path, monkeypatch, **overrides) -> list[str]:
    output = tmp_path / "output"
    with pytest.raises(BuildFailed) as failure:
        production_build(content, output, monkeypatch, **overrides)
    assert not output.exists(), "a failed build published something"
    return failure.value.problems


def assert_reported(problems: list[str], expected: dict[str, str]) -> None:
    missing = {
        path: text for path, text in expected.items()
        if not any(p.startswith(f"content/{path}: ") and text in p for p in problems)
    }
    assert not missing, (missing, problems)
    assert not any("Traceback" in p for p in problems)


def test_nothing_from_outside_the_repository_is_read_or_published(tmp_path, monkeypatch):
    content = hostile_content("outside", tmp_path)
    outside = tmp_path / "outside-secret.txt"
    outside.write_text("a secret on the build machine\n")
    (content / "images").mkdir()
    (content / "images" / "secret.txt").symlink_to(outside)
    (tmp_path / "outside-folder").mkdir()
    (content / "images" / "folder").symlink_to(tmp_path / "outside-folder", target_is_directory=True)
    problems = failed_build(content, tmp_path, monkeypatch)
    assert_reported(problems, {
        "guides/attach-image-climbs-out.md": "the {attach} link '{attach}../../../../../../../../etc/passwd' points outside content/",
        "guides/attach-link-climbs-out.md": "the {attach} link '{attach}../../../../../../../../proc/self/environ' points outside content/",
        "guides/static-link-outside.md": "the {static} link '{static}/../../secret.txt' points outside content/",
        "guides/filename-link-missing.md": "the link points to 'guides/no-such-page.md', which is not in content/",
        "pages/include.rst": "only Markdown pages (.md) are read; this file is neither read nor published",
        "pages/stray.html": "only Markdown pages (.md) are read",
        "images/secret.txt": f"is a symbolic link (to {outside.relative_to(tmp_path)})",  # named from the project folder
        "images/folder": "is a symbolic link",
        "pages/save-as-home.md": "metadata (Save_as): 'index.html' would replace the site's index page",
        "pages/save-as-404.md": "metadata (Save_as): '404.html' would replace the site's 404 page",
        "pages/save-as-robots.md": "metadata (Save_as): 'robots.txt' would replace the site's robots page",
        "pages/url-elsewhere.md": "metadata (Url): 'https://evil.example/' leaves the site",
    })
    # Pelican itself refuses a Save_as outside the output folder, naming the file.
    assert any("save-as-outside.md" in p and "outside output path" in p for p in problems), problems


def test_nothing_can_run_script(tmp_path, monkeypatch):
    problems = failed_build(hostile_content("script", tmp_path), tmp_path, monkeypatch)
    assert_reported(problems, {
        "guides/comment-in-textarea.md": "the event handler onerror= is not allowed",
        "guides/comment-in-xmp.md": "the event handler onerror= is not allowed",
        "guides/comment-in-noscript.md": "raw HTML <noscript> is not allowed",
        "guides/unquoted-stray-quote.md": "the event handler onmouseover= is not allowed",
        "guides/abrupt-comment.md": "the event handler onerror= is not allowed",
        "guides/svg-xlink-javascript.md": "<a> is not allowed in a drawing",
        "guides/svg-animate-href.md": "<animate> is not allowed in a drawing",
        "guides/area-href.md": "raw HTML <area> is not allowed",
        "guides/duplicate-href.md": "the address 'javascript:alert(1)' uses javascript:",
        "guides/javascript-with-entities.md": "uses javascript:, which this site does not allow",
        # a browser draws the link just before the table ("foster parenting")
        "guides/table-javascript-link.md": "uses javascript:, which this site does not allow",
        "images/script.svg": "line 1: <script> is not allowed in a drawing",
        "images/onload.svg": "line 1: the event handler onload= is not allowed",
        "images/page.html": ".html files are not published",
        "extra/page.htm": ".htm files are not published",
        "extra/tracker.js": ".js files are not published",
        "extra/.htaccess": "hidden files (such as .htaccess) are not published",
    })
    assert any(p.startswith("content/guides/svg-animate-href.md: ") and "<set> is not allowed" in p for p in problems)
    assert any(p.startswith("content/guides/duplicate-href.md: ") and "the same attribute twice" in p for p in problems)
    assert not any(p.startswith("content/images/ok.svg") for p in problems)


def test_nothing_loads_from_another_host(tmp_path, monkeypatch):
    problems = failed_build(hostile_content("offsite", tmp_path), tmp_path, monkeypatch)
    assert_reported(problems, {
        "guides/svg-image.md": "<image> is not allowed in a drawing",
        "guides/svg-feimage.md": "<feimage> is not allowed in a drawing",
        "guides/svg-use.md": "may only repeat a shape drawn on this page",
        "guides/svg-url-paint.md": "url(https://tracker.example/f.svg#p) loads something from outside the drawing",
        "guides/backslash-host-image.md": "points to another host",
        "guides/backslash-host-link.md": "points to another host",
        "guides/http-no-slashes.md": "the link http:tracker.example/page is not secure",
        "guides/ping.md": "the attribute ping= on <a> is not allowed",
        "guides/duplicate-src.md": "the same attribute twice",
        "guides/srcset.md": "the attribute srcset= on <img> is not allowed",
        "guides/javascript-image.md": "uses javascript:",
        "guides/data-image.md": "uses data:",
        "guides/image-from-host.md": "loads https://tracker.example/a.png from another site",
        "guides/table-iframe.md": "raw HTML <iframe> is not allowed: pages embed no other site",
        "images/loads.svg": "<image> is not allowed in a drawing",
        "pages/summary-with-html.md": "line 2 (Summary): the summary contains HTML markup",
    })
    assert any(p.startswith("content/guides/svg-url-paint.md: ") and "m.svg#m" in p for p in problems)
    assert any(p.startswith("content/guides/svg-url-paint.md: ") and "cursor=" in p for p in problems)
    uses = [p for p in problems if p.startswith("content/guides/svg-use.md: ")]
    assert len(uses) == 2 and any("tracker.example" in p for p in uses) and any("data:" in p for p in uses), uses
    assert any(p.startswith("content/images/loads.svg: ") and "may not import" in p for p in problems)


def test_a_summary_is_plain_text_in_the_feed_and_meta_tags(tmp_path, monkeypatch):
    text = "Knees & hips: 3 < 4 and 5 > 2, &lt;b&gt;not bold&lt;/b&gt;"
    content = hostile_content("template", tmp_path)  # one ordinary guide
    guide = content / "guides" / "ordinary.md"
    guide.write_text(replace(guide.read_text(), "Summary: A short summary of a test guide.", f"Summary: {text}"))
    result = production_build(content, tmp_path / "output", monkeypatch)
    feed = ElementTree.parse(result.output_path / "feeds" / "guides.atom.xml").getroot()
    summary = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") == "html"
    # A feed reader renders the summary as HTML: it must hold no element at all.
    fragment = html_checks.parse(summary.text)
    nodes = list(fragment.root.traverse(include_text=True))  # the fragment's root walks all of it
    assert [node.tag for node in nodes if node.is_element_node] == []
    assert "Knees & hips: 3 < 4 and 5 > 2" in "".join(node.text_content for node in nodes if node.is_text_node)
    page = html_checks.parse((result.output_path / "ordinary" / "index.html").read_text())
    assert page.css("b") == []  # the minifier may write "<" bare inside an attribute: text there
    assert page.css_first('meta[name="description"]').attributes["content"].endswith("<b>not bold</b>")


def test_wording_rules_see_everything_a_reader_sees(tmp_path, monkeypatch):
    problems = failed_build(hostile_content("wording", tmp_path), tmp_path, monkeypatch)
    overclaim = "overclaims in"
    assert_reported(problems, {
        "guides/in-title.md": overclaim,
        "guides/in-summary.md": overclaim,
        "guides/in-heading.md": overclaim,
        "guides/in-box-title.md": overclaim,
        "guides/in-sup.md": overclaim,
        "guides/in-svg-text.md": overclaim,
        "guides/in-table-cell.md": overclaim,
        "guides/in-alt-text.md": overclaim,
        "guides/cyrillic-look-alikes.md": "wording 'cures'",
        "guides/zero-width.md": "wording 'cures'",
        "guides/soft-hyphen.md": "wording 'cures'",
        "guides/full-width.md": "wording 'cures'",
        "guides/bidi-control.md": "invisible direction-control characters (U+202C, U+202E)",
        "guides/hundred-percent-safe.md": "wording '100 percent safe'",
        "guides/no-risks-at-all.md": "wording 'no risks at all'",
        "guides/zero-side-effects.md": "wording 'zero side effects'",
        "guides/approved-by-fda.md": "wording 'approved by FDA'",
        "guides/fda-has-approved.md": "wording 'FDA has approved'",
        "guides/curative.md": "wording 'curative'",
        "guides/negation-elsewhere.md": "wording 'cures'",
        "guides/negation-other-clause.md": "wording 'cures'",
    })


def test_the_wording_check_is_linear():
    """A 500 KB page of negations and claims, the worst case for the look-back."""
    sentence = "No, not never without no doubt it is not the case that PRP cures or is FDA-approved, "
    page = [sentence * 40 + "PRP cures pain."] * (500_000 // (len(sentence) * 40 + 15) + 1)
    started = time.perf_counter()
    checker = checks.PageChecker("content/guides/big.md", "")
    checker.wording(page)
    elapsed = time.perf_counter() - started
    assert len("".join(page)) >= 500_000
    assert checker.problems, "the page's claims were not found"
    assert elapsed < 2.0, f"{elapsed:.2f} s for 500 KB"


def test_other_languages_can_be_added_to_the_phrase_list():
    assert "en" in wording.LANGUAGES
    assert wording.overclaims("PRP cures pain.", "en")


def test_nothing_invented_can_be_typed_in(tmp_path, monkeypatch):
    problems = failed_build(hostile_content("typed", tmp_path), tmp_path, monkeypatch)
    credential = "a named person with a title or credential is typed into the page"
    assert_reported(problems, {
        "guides/phone-number.md": "'(555) 010-0199': a phone number is typed into the page; set CLINIC_PHONE",
        "guides/phone-international.md": "'+44 20 7946 0000': a phone number is typed",
        "guides/phone-link.md": "the phone link 'tel:+15550100199' is typed into the page",
        "guides/price-dollars.md": "'$450': a price or amount of money is typed into the page",
        "guides/price-in-words.md": "'1,200 pounds': a price or amount of money",
        "guides/clinician-title.md": f"'Dr Smith': {credential}",
        "guides/clinician-credential.md": f"'Smith, MD': {credential}",
        "guides/section-without-citation.md": "section 'Why it works': the section cites no source",
        "guides/citation-in-link-text.md": "a citation [@key] is inside a link's text",
        "guides/citation-in-heading.md": "a citation [@key] is inside a heading",
    })
    assert any("'Doe FRCS'" in p and credential in p for p in problems)


def test_the_clinic_phone_from_the_settings_is_allowed(tmp_path, monkeypatch):
    content = hostile_content("template", tmp_path)
    (content / "pages").mkdir()
    (content / "pages" / "contact.md").write_text("Title: Contact\nSummary: Contact details.\n\n[[clinic-contact]]\n")
    result = production_build(content, tmp_path / "output", monkeypatch, CLINIC_PHONE="+1 555 010 0199")
    page = html_checks.parse((result.output_path / "contact" / "index.html").read_text())
    assert [a.attributes["href"] for a in page.css('a[href^="tel:"]')] == ["tel:+15550100199"]


def test_dates_make_sense(tmp_path, monkeypatch):
    problems = failed_build(hostile_content("dates", tmp_path), tmp_path, monkeypatch)
    assert_reported(problems, {
        "guides/reviewed-in-2999.md": "line 3 (Reviewed): '2999-06-01' is not a date: the year 2999 is impossible",
        "guides/reviewed-next-month.md": f"line 3 (Reviewed): the review date 2026-12-20 is in the future (today is {PINNED_TODAY})",
        "guides/date-after-reviewed.md": "line 2 (Date): the page is dated 2026-09-10, after its last review (2026-06-01)",
        "guides/impossible-year.md": "line 2 (Date): '0001-01-10' is not a date: the year 1 is impossible",
        "guides/impossible-day.md": "line 2 (Date): '2026-02-30' is not a date: February 2026 has no day 30",
    })
    assert not any("Could not process" in p for p in problems), problems


@pytest.mark.parametrize("template", ["page", "article", "base"])
def test_a_missing_template_fails_the_build_naming_it(tmp_path, monkeypatch, template):
    content = hostile_content("template", tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / f"{template}.html").unlink()
    problems = failed_build(content, tmp_path, monkeypatch, THEME=str(theme))
    assert f"theme/templates/{template}.html: the theme template is missing; restore it (the build never falls back to Pelican's own theme)" in problems, problems


def test_a_symlink_in_the_theme_fails_the_build(tmp_path, monkeypatch):
    content = hostile_content("template", tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    os.symlink("/etc/hostname", theme / "static" / "css" / "host.css")
    problems = failed_build(content, tmp_path, monkeypatch, THEME=str(theme))
    assert any(p.startswith("theme/static/css/host.css: is a symbolic link") for p in problems), problems
