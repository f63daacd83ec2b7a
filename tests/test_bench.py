"""Unit tier. How `invoke bench` judges its figures (bench/run.py): ratios taken within each round, issue 23's
budgets, each page held to its own size budget; and what its corpus of real pages holds (bench/corpus.py)."""

from __future__ import annotations

import os
import re
import sys
import tomllib

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_corpus, newest_review, real_articles  # noqa: E402
from run import check_budgets, paired_ratios  # noqa: E402


def runs(*seconds: float) -> list[tuple[float, float, float]]:
    return [(s, 50.0, s) for s in seconds]


def test_a_slow_round_hits_the_builds_compared_in_it_alike():
    # The host slowed down in the third round: both builds in it took longer.
    samples = {"bare": runs(1.0, 1.1, 2.0), "ours": runs(1.2, 1.32, 3.0), "one": runs(2.0, 2.2, 4.0),
               "rebuild": runs(0.3, 0.33, 0.6)}
    ratios = paired_ratios(samples)
    assert ratios["cold_over_bare"] == 1.2  # not 1.32 / 1.1, the ratio of the medians
    assert ratios["one_over_bare"] == 2.0
    assert ratios["rebuild_over_cold"] == 0.25


def row(articles: int, ratio: float, rebuild: float, peak: float = 80.0, over: tuple[str, ...] = (), one: float | None = None) -> dict:
    return {"articles": articles, "ratios": {"cold_over_bare": ratio, "one_over_bare": ratio if one is None else one,
                                             "rebuild_over_cold": rebuild},
            "ours": {"seconds": 1.0, "peak_mib": peak}, "bare": {"seconds": 0.5},
            "page_sizes": {"page": "big/index.html", "bytes": 15000 if over else 9000, "budget": 14336, "over": list(over)}}


def judged(*rows, real_site: float = 1.0) -> dict[str, tuple[str, bool]]:
    results = {"corpora": list(rows), "real_site": {"seconds": real_site, "cpu_seconds": real_site}}
    return {name: (figure, met) for name, figure, met in check_budgets(results)}


def test_issue_23s_budgets_judge_the_cold_build_at_1000_the_memory_at_5000_and_the_real_site():
    checks = judged(row(100, 3.0, 0.9), row(1000, 2.0, 0.9, one=2.4), row(5000, 1.0, 1.0, peak=130.0), real_site=2.6)
    # the ratios are judged at 1,000 only: 3.0 at 100 is reported, not judged
    assert not any(name.startswith(("cold / bare at 100", "one-edit rebuild / cold build at 100")) for name in checks)
    assert not checks[f"cold / bare at 1,000 ({os.cpu_count()} processes)"][1]  # 2.0 > 1.5
    assert checks["cold / bare at 1,000 (one process)"][1]  # 2.4 <= 2.5
    assert not judged(row(1000, 1.4, 0.1, one=2.6))["cold / bare at 1,000 (one process)"][1]  # 2.6 > 2.5
    assert not checks["one-edit rebuild / cold build at 1,000"][1]  # 0.9 > 0.15
    assert not checks["peak memory at 5,000"][1]  # 130 > 128
    assert not checks["real site, cold build"][1]  # 2.6 > 2.5
    # the budgets issue 23 replaced are gone
    assert not any(re.search(r"ms per|full build of|start-up", name) for name in checks)

    checks = judged(row(1000, 1.4, 0.1), row(5000, 1.0, 1.0, peak=120.0), real_site=2.4)
    assert all(met for _, met in checks.values()), checks


def test_a_page_over_its_budget_misses_the_budget():
    checks = judged(row(100, 1.1, 0.1, over=("big/index.html",)))
    figure, met = checks["page sizes at 100"]
    assert not met and "pages over their budgets: 1, first big/index.html" in figure


def test_the_corpus_is_made_of_copies_of_the_real_pages_each_a_page_of_its_own(tmp_path):
    real = sum(len(group) for group in real_articles())
    content = make_corpus(tmp_path, real + 18)
    articles = sorted(p for folder in ("guides", "conditions") for p in (content / folder).glob("*.md"))
    assert len(articles) == real + 18  # English and Spanish count apart
    copies = [p for p in articles if "-copy-" in p.name]
    assert len(copies) == 18
    for copy in copies:
        text = copy.read_text("utf-8")
        original = (ROOT / "content" / copy.parent.name / re.sub(r"-copy-\d+", "", copy.name)).read_text("utf-8")
        assert "[[option-grid:" not in text  # a grid belongs to its one page
        assert text == re.sub(r"(?m)^[ \t]*\[\[option-grid:[^\]\n]*\]\][ \t]*\n", "", re.sub(
            r"(?m)^Slug:.*$", f"Slug: {copy.name.split('.')[0]}", original))
        if copy.name.endswith(".es.md"):  # paired with its English copy by the slug
            assert f"Slug: {copy.name.split('.')[0]}\n" in text
            assert (copy.parent / (copy.name.split(".")[0] + ".md")).exists()
    history = tomllib.loads((content / "data" / "page-history.toml").read_text("utf-8"))
    assert set(history) == {f"{p.parent.name}/{p.name}" for p in articles}
    assert newest_review(content) == newest_review(ROOT / "content")
    with pytest.raises(ValueError, match="even number"):
        make_corpus(tmp_path / "odd", real + 3)
    with pytest.raises(ValueError, match="real articles at least"):
        make_corpus(tmp_path / "small", real - 2)
