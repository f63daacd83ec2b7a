"""Browser tier. Option grids in a real browser: one table, shown as a table on a wide screen and as one
block per option on a 375 px phone with nothing to scroll sideways, and each printable grid on at most two pages of A4 and
of US Letter, turned sideways as the stylesheet's named page `compare` asks (Chromium's print
to PDF, counted with pdfinfo), in English and in Spanish. The axe checks of test_browser.py run on every built page, the
printable pages included."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from sitebuild import browser
from test_option_grids import CONDITIONS, PREFIX

# Every condition page and printable grid, in each language: Spanish text is longer.
GRID_PAGES = [f"{prefix}{slug}/index.html" for prefix in PREFIX.values() for slug in CONDITIONS]
PRINT_PAGES = [f"{prefix}compare/{slug}/index.html" for prefix in PREFIX.values() for slug in CONDITIONS]

A4_PAGES_MAX = 2
PRINT_MARGIN = "12mm"  # the margin the stylesheet's @page rule sets
# Paper sizes a reader may print on; the stylesheet turns the comparison sheet sideways and we
# name the paper, as a printer's settings would.
PAPERS = {"A4": (841.92, 595.28), "Letter": (792.0, 612.0)}

LAYOUT = """() => {
  const shown = el => !!el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
  const grid = document.querySelector('.app-grid');
  const table = grid.querySelector('table');
  const rows = [...table.querySelectorAll('tbody tr')];
  const cells = [...table.querySelectorAll('tbody td')];
  return {
    tableDisplay: getComputedStyle(table).display,
    rowDisplays: [...new Set(rows.map(r => getComputedStyle(r).display))],
    blocks: rows.filter(r => r.matches('.app-grid__option') && shown(r)).length,
    rows: rows.length,
    // on a phone, each answer shows its question above it (data-label); on a wide screen the
    // column headers say it
    labelled: cells.filter(c => getComputedStyle(c, '::before').content === JSON.stringify(c.dataset.label)).length,
    cells: cells.length,
    headerShown: table.tHead.getBoundingClientRect().height > 1,
    pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
    gridOverflow: grid.scrollWidth - grid.clientWidth,
    rightmost: Math.max(...[...grid.querySelectorAll('*')].filter(shown).map(e => e.getBoundingClientRect().right)),
    width: window.innerWidth,
  };
}"""


@pytest.mark.parametrize("scheme", browser.SCHEMES)
def test_the_grid_is_a_table_on_wide_screens_and_blocks_on_a_phone(site, served, chromium, scheme):
    """One table: on a wide screen a table with its column headers; on a 375 px phone each
    option's row is a block, every answer under its question, nothing to scroll sideways."""
    for width, expect_table in (("1280", True), ("375", False)):
        context = chromium.new_context(viewport=browser.VIEWPORTS[width], color_scheme=scheme)
        tab = context.new_page()
        for page in GRID_PAGES:
            tab.goto(browser.page_url(served, page))
            layout = tab.evaluate(LAYOUT)
            where = (page, width, scheme, layout)
            assert layout["rows"] >= 4 and layout["blocks"] == layout["rows"], where
            if expect_table:
                assert layout["tableDisplay"] == "table" and layout["rowDisplays"] == ["table-row"], where
                assert layout["headerShown"] and layout["labelled"] == 0, where
            else:
                assert layout["tableDisplay"] == "block" and layout["rowDisplays"] == ["block"], where
                assert not layout["headerShown"] and layout["labelled"] == layout["cells"], where
            assert layout["pageOverflow"] <= 0 and layout["gridOverflow"] <= 0, where
            assert layout["rightmost"] <= layout["width"], where
        context.close()


def page_count(pdf: bytes, tmp_path) -> int:
    """Pages of a PDF: pdfinfo (poppler-utils) when installed, else the page objects."""
    if shutil.which("pdfinfo"):
        path = tmp_path / "print.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def pdf_size(pdf: bytes, tmp_path) -> tuple[float, float]:
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups()
    return float(width), float(height)


@pytest.mark.parametrize("paper", PAPERS)
def test_each_printable_grid_prints_on_at_most_two_pages_of_a4_and_letter(site, served, chromium, tmp_path, paper):
    tab = chromium.new_page()
    pages = {}
    for page in PRINT_PAGES:
        tab.goto(browser.page_url(served, page))
        tab.add_style_tag(content=f"@page compare {{ size: {paper} landscape; }}")
        pdf = tab.pdf(prefer_css_page_size=True)
        pages[page] = page_count(pdf, tmp_path)
        assert pdf.startswith(b"%PDF")
        if shutil.which("pdfinfo"):
            width, height = pdf_size(pdf, tmp_path)
            assert abs(width - PAPERS[paper][0]) < 2 and abs(height - PAPERS[paper][1]) < 2, (page, width, height)
    tab.close()
    print(f"\n{paper} pages per printable grid: {pages}")
    assert all(1 <= n <= A4_PAGES_MAX for n in pages.values()), pages


def test_the_page_count_is_measured_not_assumed(served, chromium, tmp_path):
    """The measure itself: a long page prints on more than two pages."""
    tab = chromium.new_page()
    tab.set_content("<p>line</p>" * 400)
    pdf = tab.pdf(format="A4", margin={side: PRINT_MARGIN for side in ("top", "right", "bottom", "left")})
    tab.close()
    assert page_count(pdf, tmp_path) > A4_PAGES_MAX


def test_the_printable_pages_are_among_the_pages_the_browser_checks_cover(site):
    assert set(PRINT_PAGES) <= set(site.pages) and len(PRINT_PAGES) == 2 * len(CONDITIONS)
