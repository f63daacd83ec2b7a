"""Hostile addresses, templates and address settings are refused. Tier: build.

Every address and attribute the build writes is validated: Slug, Save_as and Url (a small
safe alphabet, never another output, a language's pages, a printable grid, a hidden or host
file), Template:, Markdown extensions, and the address settings (SITEURL, FEED_DOMAIN,
CLINIC_WEBSITE, CLINIC_EMAIL, CLINIC_PHONE). One production build per class.
Tier: build."""

from __future__ import annotations

import pytest

from sitebuild import BuildFailed
from test_hostile import assert_reported, failed_build, hostile_content, production_build

ADDRESS = "holds characters an address may not"
HIDDEN = "names a hidden or host configuration file"


def test_no_page_can_take_another_address(tmp_path, monkeypatch):
    problems = failed_build(hostile_content("addresses", tmp_path), tmp_path, monkeypatch)
    assert_reported(problems, {
        "pages/url-quote.md": f"metadata (Url): 'about/\" onmouseover=\"alert(1)\" x=\"' {ADDRESS}",
        "pages/url-space.md": f"metadata (Url): 'my page/' {ADDRESS}",
        "pages/url-encoded.md": f"metadata (Url): '%22onmouseover=alert(1)/' {ADDRESS}",
        "pages/url-javascript.md": "metadata (Url): 'javascript:alert(1)' leaves the site",
        "pages/slug-quote.md": "metadata (Slug): 'x\"><script>alert(1)</script>' is not a plain address",
        "pages/slug-angle.md": "metadata (Slug): 'a<b>c' is not a plain address",
        "pages/slug-es.md": "metadata (Slug): 'es/index.html' would replace the site's index page in 'es'",
        "pages/slug-feeds.md": "would replace the feeds",
        "pages/save-as-es-home.md": "metadata (Save_as): 'es/index.html' would replace the site's index page in 'es'",
        "pages/save-as-es-list.md": "'es/guides/index.html' would replace the list of guides in 'es'",
        "pages/save-as-404-es.md": "'es/404.html' would replace the site's 404 page in 'es'",
        "pages/save-as-grid.md": "'compare/skin/index.html' would replace the printable option grids",
        "pages/save-as-grid-es.md": "'es/compare/skin/index.html' would replace a page in the 'es' pages' folder",
        "pages/save-as-redirects.md": f"'_redirects' {HIDDEN}",
        "pages/save-as-headers.md": f"'_headers' {HIDDEN}",
        "pages/save-as-htaccess.md": f"'.htaccess' {HIDDEN}",
        "pages/save-as-well-known.md": f"'.well-known/security.txt' {HIDDEN}",
        "pages/save-as-dot-dir.md": f"'guides/.hidden/index.html' {HIDDEN}",
        "pages/save-as-cname.md": f"'CNAME' {ADDRESS}",
        "pages/save-as-backslash.md": ADDRESS,
        "pages/save-as-query.md": f"'page.html?x=1' {ADDRESS}",
        "pages/save-as-sitemap.md": "'sitemap.xml' would replace the site's sitemap page",
        "pages/save-as-text.md": "'notes/readme.txt' is not a page file (.html)",
        "pages/save-as-cname-lower.md": "'cname' would replace the host's file cname",
        "pages/save-as-favicon.md": "'favicon.svg' would replace the host's file favicon.svg",
        "pages/save-as-victim.md": "'victim/index.html' is not where the page's links lead",
        # an English page taking the Spanish translation's address: the pair swapped
        "pages/slug-victim.md": "'es/victim/index.html' would replace a page in the 'es' pages' folder (this page is in 'en')",
        "guides/template-index.md": "line 2 (Template): the template 'index' draws another part of the site, not a page; use one of: article, page",
        "guides/new-guide.MD": "the extension .MD is not lower-case, so the page would be silently skipped",
        "guides/other.Markdown": "the extension .Markdown is not lower-case",
        "guides/notes.mkdn": "only Markdown pages (.md) are read; this file is neither read nor published",
        "guides/page.md.txt": "only Markdown pages (.md) are read",
    })
    assert not any(p.startswith(("content/pages/victim.md: metadata", "content/pages/victim.es.md: metadata")) for p in problems)


def test_a_translation_stays_in_its_language_folder(tmp_path, monkeypatch):
    """The other half of a swap: a Spanish page that takes the English address."""
    content = hostile_content("template", tmp_path)
    (content / "pages").mkdir()
    (content / "pages" / "a.md").write_text("Title: A\nSummary: A page.\n\nText.\n")
    (content / "pages" / "a.es.md").write_text("Title: A\nLang: es\nSlug: a\nSave_as: b/index.html\nUrl: b/\nSummary: Una página.\n\nTexto.\n")
    problems = failed_build(content, tmp_path, monkeypatch)
    assert_reported(problems, {"pages/a.es.md": "metadata (Save_as): 'b/index.html' would replace a page outside the 'es/' folder of its language"})


HOSTILE_SETTINGS = {
    "FEED_DOMAIN": 'https://prp.example.org" onload="alert(1)',
    "CLINIC_WEBSITE": "javascript:alert(1)",
    "CLINIC_EMAIL": "clinic@example.org?bcc=spy@evil.example",
}


@pytest.mark.parametrize("name,value", [
    ("CLINIC_EMAIL", "clinic@example.org%0D%0ABcc:spy@evil.example"),
    ("CLINIC_EMAIL", "clinic@example.org\r\nBcc: spy@evil.example"),
    ("CLINIC_EMAIL", '"clinic"@example.org'),
    ("CLINIC_EMAIL", "clinic@example.org&cc=spy@evil.example"),
    ("CLINIC_WEBSITE", "http://clinic.example.org"),
    ("CLINIC_WEBSITE", "https://clinic.example.org/?ref=1"),
    ("CLINIC_WEBSITE", "https://evil.example\\@clinic.example.org"),
    ("FEED_DOMAIN", "https://prp.example.org/<x>"),
    ("CLINIC_PHONE", "555 0100 <b>"),
])
def test_each_hostile_address_setting_is_refused(name, value):
    from sitebuild import settings_checks

    found = settings_checks.address_problems({name: value}, "pelicanconf.py")
    assert len(found) == 1 and found[0].startswith(f"pelicanconf.py: {name}: "), found


def test_address_settings_are_checked_before_the_build(tmp_path, monkeypatch):
    content = hostile_content("template", tmp_path)
    with pytest.raises(BuildFailed) as failure:
        production_build(content, tmp_path / "output", monkeypatch, **HOSTILE_SETTINGS)
    problems = failure.value.problems
    for name, value in HOSTILE_SETTINGS.items():
        assert any(f": {name}: " in p and repr(value) in p for p in problems), (name, problems)
    assert not (tmp_path / "output").exists()
    monkeypatch.setenv("SITEURL", "https://prp.example.org' onmouseover='x")
    from conftest import SETTINGS_PROD, TEST_SITE_SETTINGS
    from sitebuild import build

    with pytest.raises(BuildFailed) as failure:
        build(SETTINGS_PROD, output_path=tmp_path / "output", overrides={"PATH": str(content), **TEST_SITE_SETTINGS})
    assert any("SITEURL" in p for p in failure.value.problems), failure.value.problems


def test_nothing_is_published_that_no_page_asked_for(tmp_path, monkeypatch):
    """A grid whose page does not exist, is a draft, or does not place it (another page
    does), and a grid translation without the translated page: each an error."""
    problems = failed_build(hostile_content("published", tmp_path), tmp_path, monkeypatch)
    assert_reported(problems, {
        "data/option-grids/evil.toml": "'page': 'guides/drafted.md' is not a published page, so nothing asks for this grid",
        "data/option-grids/skin.toml": "'page': 'conditions/skin.md' is not a published page",
        "data/option-grids/hair-loss.toml": "'page': guides/hair.md does not place this grid",
        "data/option-grids/knee-osteoarthritis.es.toml": "'page': 'guides/knee.es.md' is not a published page",
    })
    # The grid its page places is published: no placement problem (its content rules are other tests').
    assert not any(p.startswith("content/data/option-grids/knee-osteoarthritis.toml: 'page'") for p in problems), problems


def test_every_address_the_theme_writes_is_plain(production_site):
    """Every href and src on every production page: no quote, angle bracket, space or
    control character, and only https:, mailto:, tel: or an address of the site itself."""
    import re

    bad = re.compile(r"[\"'<>\s\x00-\x1f\\\\]")
    for page in production_site.pages:
        soup = production_site.soup(page)
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            for attribute in ("href", "src"):
                value = tag.get(attribute)
                if value is None:
                    continue
                assert not bad.search(value.split("?", 1)[0] if value.startswith("mailto:") else value), (page, value)
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", value, re.I)
                assert scheme is None or scheme.group(1).lower() in ("https", "mailto", "tel"), (page, value)
