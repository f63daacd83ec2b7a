"""Recorded retractions in the build (content/data/source-checks.toml). Tier: build (small sites) and unit.

A page citing a retracted or withdrawn work fails a production build until the work is kept
with a reason readers see; the reason is drawn beside the reference, in the page's language,
and passes the wording rules; development builds only warn. Also the file's format and the
per-language rule."""

from __future__ import annotations

import datetime
import re

from conftest import ROOT
from samples import GUIDE, GUIDE_FILE, problems_of

from medical_content.data import source_checks

RESULTS_FILE = "data/source-checks.toml"
LABEL = "content/data/source-checks.toml"
HEADER = '[check]\ndate = 2026-11-20\noutcome = "3 sources: 1 retracted, 1 withdrawn, 1 expression of concern"\n'


def results(**works: str) -> str:
    return HEADER + "".join(f"\n[works.{key}]\n{body}\n" for key, body in works.items())


RETRACTED = 'status = "retracted"\nnotice = "10.5555/retraction-notice"\ndate = "2021-03-15"'
WITHDRAWN = 'status = "withdrawn"\nnotice = "10.5555/withdrawal-notice"'
CONCERN = 'status = "expression of concern"'


def test_a_retracted_work_still_cited_fails_a_production_build_with_every_problem_named(make_site):
    problems = problems_of(make_site, {
        GUIDE_FILE: GUIDE,
        RESULTS_FILE: results(
            bennell2021=RETRACTED,  # cited, not kept
            arita2024=WITHDRAWN + '\nkeep = "This treatment cures knee pain."',  # kept, but an overclaim
            kolasinski2020=CONCERN,  # flagged: reviews list it; the build does not stop for it
            moore2005=RETRACTED,  # retracted but cited by no page
            dhillon2012='status = "retracted"\nkeep = 5',  # a reason that is not text
        ),
    }, RETRACTED_CITATION_IS_ERROR=True)
    text = "\n".join(problems)
    assert (f"{LABEL}: [works.bennell2021]: this work is retracted (notice 10.5555/retraction-notice, 2021-03-15) "
            "and still cited by content/guides/test-guide.md; remove the citation, or keep it with the reason "
            "readers see: add keep to [works.bennell2021]") in problems
    assert f"{LABEL}: [works.arita2024] keep: wording 'cures': overclaims" in text  # readers see the reason
    assert (f"{LABEL}: [works.dhillon2012]: 'keep' must be the reason readers see, as text in quotes, not 5; "
            "write it in double quotes") in text
    assert "kolasinski2020" not in text and "moore2005" not in text


def test_a_kept_work_shows_its_reason_to_readers_and_the_build_passes(make_site):
    reason = "We cite it only to explain why this study is no longer used."
    site = make_site({
        GUIDE_FILE: GUIDE,
        RESULTS_FILE: results(bennell2021=RETRACTED + f'\nkeep = "{reason}"',
                              arita2024=WITHDRAWN + '\nkeep = "We cite it to show what was claimed."'),
    }, RETRACTED_CITATION_IS_ERROR=True)
    page = (site.output_path / "test-guide" / "index.html").read_text("utf-8")
    references = page[page.index('id="references"'):]
    assert re.search(r'<strong class="app-references__notice">Retracted:</strong>\s*' + re.escape(reason), references)
    assert '<strong class="app-references__notice">Withdrawn:</strong> We cite it to show what was claimed.' in references
    assert references.count("app-references__notice") == 2  # kolasinski2020 has no notice


def test_development_builds_only_warn(make_site):
    site = make_site({GUIDE_FILE: GUIDE, RESULTS_FILE: results(bennell2021=RETRACTED)})
    assert any("[works.bennell2021]: this work is retracted" in notice for notice in site.notices)
    page = (site.output_path / "test-guide" / "index.html").read_text("utf-8")
    assert "app-references__notice" not in page  # no reason, nothing drawn


def test_production_settings_turn_the_rule_on():
    assert re.search(r"^RETRACTED_CITATION_IS_ERROR = True$", (ROOT / "publishconf.py").read_text(), re.M)


def test_each_language_of_the_citing_pages_needs_its_reason():
    recorded = source_checks.Results(datetime.date(2026, 11, 20), "", {
        "a": source_checks.Record("a", "retracted", keep=(("en", "Reason."),)),
        "b": source_checks.Record("b", "withdrawn", keep=(("en", "Reason."), ("es", "Motivo."))),
    })
    citing = {"a": [("Guide", "guides/x.md"), ("Guía", "guides/x.es.md")], "b": [("Guía", "guides/x.es.md")]}
    problems = source_checks.cited_problems(recorded, citing, lambda s: "es" if ".es." in s else "en", LABEL)
    assert len(problems) == 1 and "[works.a]" in problems[0] and "add keep_es to [works.a]" in problems[0]


def test_the_results_file_reads_back_what_was_written():
    written = source_checks.Results(datetime.date(2026, 12, 7), 'Outcome with "quotes"', {
        "key-1": source_checks.Record("key-1", "retracted", "detail", "10.5555/n", "2021-03-15",
                                      (("en", "Reason."), ("es", "Motivo, ¿sí?"))),
        "https://example.org/a page": source_checks.Record("https://example.org/a page", "dead", "gone (404)"),
    })
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "source-checks.toml"
        path.write_text(source_checks.dump(written), "utf-8")
        read, problems = source_checks.load(path)
    assert problems == [] and read == written


def test_the_reason_is_shown_in_the_readers_language():
    from pathlib import Path
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        data.mkdir()
        (data / "source-checks.toml").write_text(results(
            a=RETRACTED + '\nkeep = "Reason."\nkeep_es = "Motivo."', b=CONCERN + '\nkeep = "Noted."',
            c=WITHDRAWN), "utf-8")
        cited = source_checks.CitedSources({"PATH": folder}, str, "en")
    assert cited.problems == []
    assert cited.notice("a", "es") == ("retracted", "Motivo.") and cited.notice("a", "en") == ("retracted", "Reason.")
    assert cited.notice("b", "en") is None  # only retracted and withdrawn works carry a notice
    assert cited.notice("c", "en") is None  # no reason: nothing to show (and a production build fails)
