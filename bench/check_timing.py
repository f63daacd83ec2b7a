"""The time the medical_content plugin spends per page, this working tree against an older
commit, side by side in one run on the same machine:

    .venv/bin/python bench/check_timing.py --old 4a7e65b --articles 100 --rounds 5

Both versions build the same corpus of copies of the real pages (bench/corpus.py) in fresh processes, rounds
alternating between them so noise hits both alike. Reported: milliseconds per page spent in
the plugin's per-page handler (content_object_init: HTML checks, wording, citations...) and
in its whole-site pass (all_generators_finalized: links and addresses), medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["plugins", "theme", "pelicanconf.py"]


def worker(version: Path, content: Path, output: Path, today: str) -> None:
    sys.path[:0] = [str(version / "plugins"), str(ROOT)]
    import medical_content as plugin  # the version's own copy

    spent = {"content_object_init": 0.0, "all_generators_finalized": 0.0, "pages": 0}

    def timed(name):
        original = getattr(plugin, name)

        def wrapper(*args):
            started = time.perf_counter()
            try:
                return original(*args)
            finally:
                spent[name] += time.perf_counter() - started
                spent["pages"] += name == "content_object_init"

        return wrapper

    for name in ("content_object_init", "all_generators_finalized"):
        setattr(plugin, name, timed(name))
    from sitebuild import build

    build(version / "pelicanconf.py", output_path=output,
          overrides={"PATH": str(content), "REVIEW_CHECK_DATE": today,
                     "THEME": str(version / "theme"), "PLUGIN_PATHS": [str(version / "plugins")]})
    print(json.dumps(spent))


def checkout(rev: str, destination: Path) -> None:
    archive = subprocess.run(["git", "archive", rev, *PARTS], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", default="4a7e65b")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*map(Path, args.worker[:3]), args.worker[3])
        return 0
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import make_corpus, newest_review

    with tempfile.TemporaryDirectory(prefix="check-timing-") as folder:
        base = Path(folder)
        content = make_corpus(base / "corpus", args.articles)
        versions = {f"old ({args.old})": base / "old", "new (working tree)": base / "new"}
        checkout(args.old, versions[f"old ({args.old})"])
        for part in PARTS:
            source, target = ROOT / part, base / "new" / part
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)
        results: dict[str, list[dict]] = {name: [] for name in versions}
        for _round in range(args.rounds):
            for name, version in versions.items():
                run = subprocess.run(
                    [sys.executable, __file__, "--worker", str(version), str(content), str(base / "out"), newest_review(content)],
                    capture_output=True, text=True, cwd=ROOT,
                )
                if run.returncode:
                    print(run.stdout[-2000:], run.stderr[-2000:], file=sys.stderr)
                    return 1
                results[name].append(json.loads(run.stdout.strip().splitlines()[-1]))
        print(f"{args.articles} articles, {args.rounds} rounds, medians, ms per page")
        print(f"{'version':24} {'pages':>5} {'per-page checks':>16} {'site pass':>10} {'total':>8}")
        for name, runs in results.items():
            pages = runs[0]["pages"]
            per_page = statistics.median(r["content_object_init"] for r in runs) * 1000 / pages
            site = statistics.median(r["all_generators_finalized"] for r in runs) * 1000 / pages
            print(f"{name:24} {pages:5d} {per_page:16.2f} {site:10.2f} {per_page + site:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
