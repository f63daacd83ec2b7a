"""Nothing is published that no page asked for: each option grid, in each language, is
published (at compare/<slug>/) only because the page its `page` field names places it with
`[[option-grid: <slug>]]`. A grid no page places, a grid whose page does not exist or is a
draft, or a translation of a grid that the page's translation does not place, is an error:
otherwise a pull request could add a data file alone and publish whatever it holds.
"""

from __future__ import annotations

import os
import re

# The block as an editor writes it, alone on its line (markup.DIRECTIVE matches its HTML).
PLACED = re.compile(r"^[ \t]*\[\[option-grid:\s*([^\]\n]*?)\s*\]\][ \t]*$", re.M)
PUBLISHED = {"published", "hidden"}


def grid_problems(every_grid, contents, read, label_of_grid) -> list[str]:
    """`every_grid`: (lang, grid) pairs; `contents`: the pages read; `read(path)`: a page's
    text; `label_of_grid(lang, grid)`: how messages name the grid's file."""
    pages = {}
    for content in contents:
        if getattr(content, "status", "published") in PUBLISHED:
            pages[content.relative_source_path.replace(os.sep, "/")] = content
    placed: dict[str, set[str]] = {}  # page -> slugs it places
    for path, content in pages.items():
        placed[path] = {match.group(1) for match in PLACED.finditer(read(content.source_path))}
    problems = []
    for lang, grid in every_grid:
        page = str(grid.page).replace(os.sep, "/")
        where = label_of_grid(lang, grid)
        if page not in pages:
            problems.append(
                f"{where}: 'page': '{page}' is not a published page, so nothing asks for this grid; "
                f"name the page that places it with [[option-grid: {grid.slug}]], or remove the file"
            )
        elif grid.slug not in placed[page]:
            problems.append(
                f"{where}: 'page': {page} does not place this grid, and no page may publish it "
                f"alone; add [[option-grid: {grid.slug}]] to {page}, or remove the file"
            )
    return problems
