"""Unit tier. How `invoke bench` judges its figures (bench/run.py): ratios taken within each round, and
each page held to its own size budget."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from run import BUDGETS, check_budgets, paired_ratios  # noqa: E402


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


def test_a_page_over_its_budget_misses_the_budget():
    row = {"articles": 100, "ratios": {"cold_over_bare": 1.1, "one_over_bare": 1.5, "rebuild_over_cold": 0.2},
           "ours": {"seconds": 1.0}, "one": {"seconds": 1.5}, "bare": {"seconds": 0.9},
           "page_sizes": {"page": "big/index.html", "bytes": 15000, "budget": 14336, "over": ["big/index.html"]}}
    checks = {name: (figure, met) for name, figure, met in check_budgets({"startup": {"seconds": 0.3}, "corpora": [row]})}
    figure, met = checks["page sizes at 100"]
    assert not met and "pages over their budgets: 1, first big/index.html" in figure
    assert checks["ours / bare at 100"][1]  # 1.1 is within 1.25
