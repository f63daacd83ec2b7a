"""`invoke bench`: how long the site takes to build as it grows, against the budgets of
issue 23.

Each measurement is a fresh process, timed from start to exit, and its peak memory is the
kernel's count for that process (the figure `/usr/bin/time -v` prints, read with wait4).
The commands being compared run in turns within each round, so a busy moment on a noisy
machine lands on all of them alike. Medians of several rounds are reported.

Compared on the same corpus of copies of the real pages (corpus.py):
  cold     our theme and plugins, through sitebuild, as `invoke build` makes it (pages worked
           in worker processes on every core), starting with an empty cache
  one      the same, on one process (PAGE_PROCESSES = 1)
  bare     the same corpus, our plugins switched off, Pelican's built-in `simple` theme, no cache
  rebuild  the same build as cold, after one article was edited, with the cache the cold
           build left
and separately: the real site's cold build, the edit-to-reload time of `invoke livereload`
on the real site, and each page's size against its budget (page_sizes).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins"), str(Path(__file__).parent)]

from corpus import copy_project, make_corpus, newest_review  # noqa: E402

BUDGETS = {
    # issue 23, at 1,000 articles of real pages (the ratios are taken within each round)
    "cold_over_bare": 1.5,  # a cold build / bare Pelican, two processes allowed
    "one_process_over_bare": 2.5,  # a cold build on one process / bare Pelican
    "rebuild_fraction": 0.15,  # a rebuild after one edit / a cold build
    "peak_mib_5000": 128,  # a cold build of 5,000 articles
    "real_site_seconds": 2.5,  # the real site's cold build (development settings)
    "livereload_seconds": 1.5,  # from saving a file to the new page being served
    # Every page, with the stylesheet it waits for before it is drawn, gzip-compressed: one
    # round trip. The print stylesheet (media="print") is fetched without blocking the
    # drawing, so it is not counted.
    "page_bytes": 14 * 1024,
}
JUDGED_AT = 1000  # the ratios are judged at this size; other sizes are reported

OURS = """\
import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa
PATH = {content!r}
THEME = {theme!r}
PLUGIN_PATHS = [{plugins!r}]
REVIEW_CHECK_DATE = {today!r}  # the corpus's newest review: none in the future, none overdue
"""
ONE = OURS + """\
PAGE_PROCESSES = 1
"""
BARE = OURS + """\
PLUGINS = []
THEME = "simple"
DIRECT_TEMPLATES = ["index"]
PAGINATED_TEMPLATES = {{"index": None, "category": None}}
ARTICLE_ORDER_BY = "reversed-date"
JINJA_ENVIRONMENT = {{"trim_blocks": True, "lstrip_blocks": True, "extensions": []}}
"""


def settings_files(folder: Path, content: Path) -> dict[str, Path]:
    values = {"root": str(ROOT), "content": str(content), "theme": str(ROOT / "theme"),
              "plugins": str(ROOT / "plugins"), "today": newest_review(content)}
    files = {}
    for name, template in (("ours", OURS), ("one", ONE), ("bare", BARE)):
        files[name] = folder / f"{name}.py"
        files[name].write_text(template.format(**values))
    return files


def measure(command: list[str], cache: Path | None = None) -> tuple[float, float, float]:
    """Seconds from start to exit, peak memory in MiB, and processor seconds (user and
    system) of one build, with its cache in `cache` (None: no cache)."""
    environment = {**os.environ, "SITE_CACHE": str(cache) if cache else "off"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()[-3000:]}")
    process.stderr.close()
    # Linux reports KiB
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def build_command(settings: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "sitebuild", str(settings), "--output", str(output)]


def edit_one_article(content: Path, round_number: int) -> None:
    """One edit to one copied guide: a line added at its end (Markdown makes the same page of
    it, so the edit cannot break a content rule; the file's bytes change, which is what a
    cache would look at)."""
    article = sorted((content / "guides").glob("*-copy-*.md"))[0]
    article.write_text(article.read_text("utf-8") + "\n" * (round_number + 1), "utf-8")


def median_row(samples: dict[str, list[tuple[float, float, float]]]) -> dict[str, dict[str, float]]:
    return {name: {"seconds": round(statistics.median(s for s, _, _ in runs), 3),
                   "peak_mib": round(max(m for _, m, _ in runs), 1),
                   "cpu_seconds": round(statistics.median(c for _, _, c in runs), 3), "runs": len(runs)}
            for name, runs in samples.items()}


def paired_ratios(samples: dict[str, list[tuple[float, float, float]]]) -> dict[str, float]:
    """Each ratio the budgets judge, taken within each round and then the median of the
    rounds: cold / bare, and the rebuild as a share of the cold build; and, for a busy host,
    where a build waits for the processor, cold / bare in processor seconds (not judged)."""
    def median_of(top: str, bottom: str, figure: int = 0) -> float:
        return round(statistics.median(a[figure] / b[figure] for a, b in zip(samples[top], samples[bottom])), 3)

    return {"cold_over_bare": median_of("ours", "bare"), "one_over_bare": median_of("one", "bare"),
            "rebuild_over_cold": median_of("rebuild", "ours"),
            "cpu_cold_over_bare": median_of("ours", "bare", figure=2)}


def bench_corpus(articles: int, rounds: int, work: Path) -> dict:
    folder = work / f"corpus-{articles}"
    folder.mkdir(parents=True)
    content = make_corpus(folder, articles)
    settings = settings_files(folder, content)
    samples = {"ours": [], "one": [], "bare": [], "rebuild": []}
    # No warm-up build: the corpus was just written (it is in the operating system's file
    # cache) and the real site's builds, measured first, have loaded every library once.
    # Builds compared with each other run one after the other (bare, cold, rebuild), so a
    # change in the host's speed between rounds does not enter their ratios.
    # A cold build starts with an empty cache; the rebuild, after one edit, finds what the cold
    # build kept (Pelican's reader cache, the page results, the drawn pages). Bare Pelican
    # builds without a cache.
    cache = work / f"cache-{articles}"  # outside the corpus project: a cache inside a project is never used
    for round_number in range(rounds):
        samples["bare"].append(measure(build_command(settings["bare"], folder / "out-bare")))
        shutil.rmtree(cache, ignore_errors=True)
        samples["one"].append(measure(build_command(settings["one"], folder / "out-one"), cache))
        shutil.rmtree(cache, ignore_errors=True)
        samples["ours"].append(measure(build_command(settings["ours"], folder / "out-cold"), cache))
        edit_one_article(content, round_number)
        samples["rebuild"].append(measure(build_command(settings["ours"], folder / "out-ours"), cache))
    result = median_row(samples)
    result["ratios"] = paired_ratios(samples)
    result["articles"] = articles
    result["rounds"] = {name: [[round(x, 3) for x in run] for run in runs] for name, runs in samples.items()}
    result["page_sizes"] = page_sizes(folder / "out-cold")
    return result


def page_sizes(output: Path) -> dict:
    """The largest page, and every page over the budget (BUDGETS["page_bytes"], the same for
    every page: the tests hold the published pages to it, tests/test_quality.py). Pages and
    the screen stylesheet are minified as production builds minify them; their addresses stay
    relative (a few hundred bytes less than the published site's absolute ones, which the
    tests measure on the real site: tests/test_quality.py)."""
    from minify_output import minify_css, minify_page

    css = len(gzip.compress(minify_css((output / "theme" / "css" / "site.css").read_text("utf-8")).encode(), 9))
    sizes, budget = {}, BUDGETS["page_bytes"]
    for path in output.rglob("*.html"):
        page, html = str(path.relative_to(output)), minify_page(path.read_text("utf-8"))
        sizes[page] = len(gzip.compress(html.encode(), 9)) + css
    page = max(sizes, key=sizes.get)
    return {"page": page, "bytes": sizes[page], "budget": budget, "pages": len(sizes),
            "over": sorted(p for p in sizes if sizes[p] > budget)}


def bench_real_site(rounds: int, work: Path) -> dict:
    """The real site's cold build with development settings, as `invoke build` makes it."""
    runs = [measure(build_command(ROOT / "pelicanconf.py", work / "real-site")) for _ in range(rounds)]
    return median_row({"real_site": runs})["real_site"]


def bench_livereload(rounds: int, work: Path) -> dict:
    """Edit the real site's first guide in a copy of the project and time until the new
    text is served by `invoke livereload` (which waits for its file watcher, rebuilds and
    then tells the browser to reload)."""
    project = copy_project(work / "project")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/what-is-prp/"
    article = project / "content" / "guides" / "what-is-prp.md"
    original = article.read_text()
    times = []
    try:
        _wait_for(lambda: "What is PRP" in _fetch(url), 60)
        for round_number in range(rounds):
            marker = f"Edited for timing {round_number}"
            article.write_text(original.replace("Title: What is PRP (platelet-rich plasma)?", f"Title: {marker}"))
            started = time.perf_counter()
            _wait_for(lambda: marker in _fetch(url), 30)
            times.append(time.perf_counter() - started)
            time.sleep(1.0)  # let the watcher settle before the next edit
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    return {"seconds": round(statistics.median(times), 3), "runs": len(times)}


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def _wait_for(predicate, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise SystemExit(f"timed out after {seconds} s")


def check_budgets(results: dict) -> list[tuple[str, str, bool]]:
    """(budget, figure, met?) for each budget that this run measured."""
    checks = []
    for row in results["corpora"]:
        n = row["articles"]
        if n == JUDGED_AT:
            for name, ratio, what in (("cold_over_bare", row["ratios"]["cold_over_bare"], f"{os.cpu_count()} processes"),
                                      ("one_process_over_bare", row["ratios"]["one_over_bare"], "one process")):
                checks.append((f"cold / bare at {n:,} ({what})", f"{ratio:.2f} (at most {BUDGETS[name]})", ratio <= BUDGETS[name]))
            fraction = row["ratios"]["rebuild_over_cold"]
            checks.append((f"one-edit rebuild / cold build at {n:,}", f"{fraction:.2f} (at most {BUDGETS['rebuild_fraction']})",
                           fraction <= BUDGETS["rebuild_fraction"]))
        if n == 5000:
            peak = row["ours"]["peak_mib"]
            checks.append(("peak memory at 5,000", f"{peak:.0f} MiB (at most {BUDGETS['peak_mib_5000']})", peak <= BUDGETS["peak_mib_5000"]))
        page = row["page_sizes"]
        over = f"; pages over their budgets: {len(page['over'])}, first {page['over'][0]}" if page["over"] else ""
        checks.append((f"page sizes at {n:,}", f"nearest its budget: {page['page']}, {page['bytes']} bytes (at most {page['budget']}){over}",
                       not page["over"]))
    if "real_site" in results:
        real = results["real_site"]
        checks.append(("real site, cold build", f"{real['seconds']:.2f} s (at most {BUDGETS['real_site_seconds']}; "
                       f"{real['cpu_seconds']:.2f} processor s)", real["seconds"] <= BUDGETS["real_site_seconds"]))
    if "livereload" in results:
        reload = results["livereload"]["seconds"]
        checks.append(("edit to reload", f"{reload:.2f} s (at most {BUDGETS['livereload_seconds']})", reload <= BUDGETS["livereload_seconds"]))
    return checks


def report(results: dict, checks) -> str:
    lines = [f"Benchmark on {os.cpu_count()} cores; medians of runs; fresh process per build.",
             "cold: a whole build (worker processes on every core); one: on one process; bare: Pelican alone;",
             "rebuild: the same build after one edit, with the cache the cold build left;",
             "cpu: processor seconds; ratios and rebuild %: taken in each round (the builds compared run one",
             "after the other), then the median.", "",
             f"{'articles':>8} {'cold s':>7} {'one s':>7} {'bare s':>7} {'ratio':>6} {'one/bare':>8} {'cold cpu':>8} {'bare cpu':>8} {'cpu ratio':>9} "
             f"{'rebuild s':>9} {'rebuild %':>9} {'peak MiB':>8} {'bare MiB':>8} {'page/budget':>12}"]
    for row in results["corpora"]:
        lines.append(f"{row['articles']:>8} {row['ours']['seconds']:>7.2f} {row['one']['seconds']:>7.2f} {row['bare']['seconds']:>7.2f} "
                     f"{row['ratios']['cold_over_bare']:>6.2f} {row['ratios']['one_over_bare']:>8.2f} {row['ours']['cpu_seconds']:>8.2f} {row['bare']['cpu_seconds']:>8.2f} "
                     f"{row['ratios'].get('cpu_cold_over_bare', 0):>9.2f} "
                     f"{row['rebuild']['seconds']:>9.2f} {100 * row['ratios']['rebuild_over_cold']:>8.0f}% "
                     f"{row['ours']['peak_mib']:>8.0f} {row['bare']['peak_mib']:>8.0f} "
                     f"{row['page_sizes']['bytes']:>6}/{row['page_sizes']['budget']:<5}")
    if "real_site" in results:
        real = results["real_site"]
        lines.append(f"real site, cold: {real['seconds']:.2f} s, {real['cpu_seconds']:.2f} processor s, {real['peak_mib']:.0f} MiB")
    if "livereload" in results:
        lines.append(f"edit to reload (real site): {results['livereload']['seconds']:.2f} s")
    lines += ["", "Budgets:"] + [f"  {'met   ' if ok else 'MISSED'} {name}: {figure}" for name, figure, ok in checks]
    return "\n".join(lines)


def main(sizes: list[int], rounds: int, output: Path, livereload: bool = True) -> int:
    with tempfile.TemporaryDirectory(prefix="prp-bench-") as temporary:
        work = Path(temporary)
        # first: it also loads every library the builds use into the file cache
        results = {"real_site": bench_real_site(max(rounds, 5), work), "corpora": []}
        for n in sizes:
            print(f"Building {n} articles ({rounds} rounds)...", flush=True)
            results["corpora"].append(bench_corpus(n, rounds, work))
        if livereload:
            results["livereload"] = bench_livereload(max(rounds, 5), work)
    checks = check_budgets(results)
    results["budgets"] = [{"budget": n, "figure": f, "met": ok} for n, f, ok in checks]
    text = report(results, checks)
    print(text)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    output.with_suffix(".txt").write_text(text + "\n")
    print(f"\nWritten to {output} and {output.with_suffix('.txt')}")
    return 0 if all(ok for _, _, ok in checks) else 1
