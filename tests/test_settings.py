"""Build tier. Settings: what pelicanconf.py and publishconf.py promise, checked on real builds."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import PINNED_TODAY, ROOT, SETTINGS_DEV, SETTINGS_PROD, SITE_URL
from sitebuild import load_settings


@pytest.fixture(scope="module")
def settings():
    return load_settings(SETTINGS_DEV)


def test_timezone_and_plugins_are_explicit(settings):
    assert settings["TIMEZONE"]
    assert settings["PLUGINS"] == ["medical_content"]


def test_markdown_keeps_the_defaults_we_need_and_adds_heading_ids(settings):
    extensions = settings["MARKDOWN"]["extension_configs"]
    for name in ("markdown.extensions.extra", "markdown.extensions.meta", "markdown.extensions.toc"):
        assert name in extensions
    assert extensions["markdown.extensions.toc"]["permalink"] is False


def test_clean_addresses_and_only_the_page_types_we_use(site):
    assert "what-is-prp/index.html" in site.pages  # slug from the file name, clean URL
    unwanted = ("tag", "tags", "author", "authors", "archives", "categories", "category", "feeds")
    for page in site.pages:
        first = page.split("/")[0].removesuffix(".html")
        assert first not in unwanted, page


def test_clinic_details_are_empty_by_default_and_nothing_is_rendered_for_them(settings, site):
    assert settings["CLINIC_NAME"] == "Foster Medical"
    for name in ("CLINIC_PHONE", "CLINIC_EMAIL", "CLINIC_ADDRESS", "CLINIC_WEBSITE",
                 "EDITORIAL_CONTACT", "FUNDING_STATEMENT", "CLINIC_RELATIONSHIP"):
        assert settings[name] == "", f"{name} must stay empty until a real value is known"
    for page in site.pages:
        soup = site.soup(page)
        assert not soup.select('a[href^="tel:"], a[href^="mailto:"]'), page
        assert "Reviewed by" not in soup.get_text(), page


def test_production_settings_use_the_absolute_address(production_site):
    soup = production_site.soup("what-is-prp/index.html")
    for element in soup.find_all(["a", "link"], href=True):
        href = element["href"]
        assert href.startswith(("https://", "#")), href
    assert production_site.result.notices == []


@pytest.mark.parametrize("settings_file", [SETTINGS_DEV, SETTINGS_PROD], ids=["development", "production"])
@pytest.mark.process
def test_pelican_itself_builds_with_fatal_warnings(tmp_path, settings_file):
    environment = {**os.environ, "SITEURL": SITE_URL}
    run = subprocess.run(
        [sys.executable, "-m", "pelican", "-s", str(settings_file), "-o", str(tmp_path),
         "--fatal", "warnings", "-e", f'REVIEW_CHECK_DATE="{PINNED_TODAY}"'],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "index.html").exists()


def test_a_broken_settings_file_is_a_message_not_a_traceback(tmp_path):
    from sitebuild import BuildFailed, build

    settings = tmp_path / "pelicanconf.py"
    settings.write_text((ROOT / "pelicanconf.py").read_text() + "\nSITENAME = 'unclosed\n")
    with pytest.raises(BuildFailed) as failure:
        build(settings, output_path=tmp_path / "out")
    assert failure.value.problems[0].startswith(f"{settings}: cannot load the settings:")
    assert not (tmp_path / "out").exists()
