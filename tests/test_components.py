"""Build tier. Each content component's macro, rendered alone with example parameters, the way GOV.UK
and NHS.UK frontend test their components; then the same macros reached from Markdown."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from conftest import SETTINGS_DEV
from medical_content.data import bibliography
from medical_content.inputs import macro_environment
from samples import GUIDE, replace
from sitebuild import BuildFailed, load_settings


@pytest.fixture(scope="module")
def macros():
    environment = macro_environment(load_settings(SETTINGS_DEV))

    def render(component: str, macro: str, *args, **kwargs) -> BeautifulSoup:
        module = environment.get_template(f"components/{component}.html").module
        return BeautifulSoup(str(getattr(module, macro)(*args, **kwargs)), "lxml")

    return render


def text(soup) -> str:
    return " ".join(soup.get_text().split())


def test_disclaimer(macros):
    soup = macros("disclaimer", "disclaimer", "../disclaimer/")
    box = soup.select_one("section.app-disclaimer")
    assert soup.find(id=box["aria-labelledby"]).name == "h2"
    words = text(box)
    for phrase in ("education only", "not give medical advice", "does not replace a consultation",
                   "differ from person to person", "call your local emergency number", "911", "999", "112"):
        assert phrase in words
    assert box.find("a")["href"] == "../disclaimer/"


def test_warning_callout(macros):
    soup = macros("warning", "warning", title="Do not stop your blood thinner", body=Markup("<p>Ask first.</p>"))
    box = soup.select_one(".app-callout.app-callout--warning")
    heading = box.find("h3")
    assert text(heading) == "Important: Do not stop your blood thinner"
    assert heading.select_one(".app-visually-hidden").get_text() == "Important: "
    assert box.find("p").get_text() == "Ask first."
    assert macros("warning", "warning", title="T", body="", level=2).find("h2")


def test_urgent_help_card(macros):
    soup = macros("urgent", "urgent", title="Get help now if you have", body=Markup("<ul><li>loss of sight</li></ul>"))
    card = soup.select_one(".app-care-card.app-care-card--urgent")
    assert card.select_one("h3 .app-visually-hidden").get_text() == "Urgent advice: "
    assert "Get help now if you have" in text(card.find("h3"))
    assert card.select_one(".app-care-card__content li").get_text() == "loss of sight"


def test_key_points_box(macros):
    soup = macros("key-points", "key_points", title="Key points", body=Markup("<ul><li>One</li></ul>"))
    box = soup.select_one(".app-key-points")
    assert box.find("h2").get_text() == "Key points"
    assert box.find("li").get_text() == "One"


def test_evidence_badge_says_its_meaning_in_words(macros):
    soup = macros("evidence-badge", "evidence_badge", "Studies disagree", "mixed")
    badge = soup.select_one("strong.app-badge.app-badge--mixed")
    assert text(badge) == "Strength of evidence: Studies disagree"
    assert badge.get_text().endswith("Studies disagree")  # visible words, not colour alone
    assert badge.select_one(".app-visually-hidden")


def test_reference_list_numbers_and_links_each_reference(macros):
    references = [
        bibliography.Reference("a", "A trial", "2021", "Bennell KL, et al.", "JAMA", doi="10.1001/jama.2021.19415"),
        bibliography.Reference("b", "A review?", "2021", "White C", pmid="34980960"),
        bibliography.Reference("c", "Guidance", "2019", url="https://www.nice.org.uk/guidance/ipg637"),
    ]
    soup = macros("reference-list", "reference_list", references)
    items = soup.select("section.app-references ol > li")
    assert [li["id"] for li in items] == ["ref-1", "ref-2", "ref-3"]
    assert [li.a["href"] for li in items] == [
        "https://doi.org/10.1001/jama.2021.19415",
        "https://pubmed.ncbi.nlm.nih.gov/34980960/",
        "https://www.nice.org.uk/guidance/ipg637",
    ]
    assert text(items[0]).startswith("Bennell KL, et al. A trial. JAMA. 2021.")
    assert "A review? 2021." in text(items[1])  # no doubled full stop after a question mark
    assert text(items[2]).startswith("Guidance. 2019.")  # a work with no recorded authors
    assert text(macros("reference-list", "reference_list", [])) == ""


def test_text_passed_to_a_component_is_escaped(macros):
    soup = macros("warning", "warning", title="<script>x</script>", body="")
    assert soup.find("script") is None
    assert "<script>x</script>" in soup.get_text()


def test_components_written_in_markdown_use_the_macros(make_site):
    guide = replace(GUIDE, "## Risks and side effects\n", '## Risks and side effects\n\n!!! warning "Careful"\n    Body text.\n\n!!! urgent\n    - Sudden loss of sight\n')
    result = make_site({"guides/test-guide.md": guide})
    soup = BeautifulSoup((result.output_path / "test-guide" / "index.html").read_text(), "lxml")
    key_points = soup.select_one(".app-prose .app-key-points")
    assert key_points.find("h2").get_text() == "Key points"  # before any section: level 2
    callout = soup.select_one(".app-prose .app-callout--warning")
    assert text(callout.find("h3")) == "Important: Careful"  # inside a section: level 3
    card = soup.select_one(".app-prose .app-care-card--urgent")
    assert "Get medical help now if" in text(card.find("h3"))  # the default title
    assert soup.select_one(".admonition") is None


def test_an_unknown_component_is_reported(make_site):
    guide = replace(GUIDE, "## About it\n", '## About it\n\n!!! tip "A tip"\n    Text.\n')
    with pytest.raises(BuildFailed) as failure:
        make_site({"guides/test-guide.md": guide})
    assert any("guides/test-guide.md" in p and "unknown box '!!! tip'" in p for p in failure.value.problems)
