"""`python -m sitebuild [SETTINGS] [--output DIR]`: one safe build, in a fresh interpreter.

The watch tasks (livereload, regenerate) build this way so that an edit to a plugin or a
settings file is picked up: a long-running process would keep the old, imported code.
"""

import argparse
import json
import sys
from pathlib import Path

from . import INTERRUPTED, BuildFailed, build


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitebuild", description=__doc__)
    parser.add_argument("settings", nargs="?", default="pelicanconf.py")
    parser.add_argument("--output", help="output folder (default: the settings' OUTPUT_PATH)")
    parser.add_argument("--problems-file", help="on failure, also write the problems here as JSON "
                        "(the live preview shows them in the browser)")
    parser.add_argument("--verbose", action="store_true", help="list each page's reading grade")
    args = parser.parse_args(argv)
    try:
        result = build(args.settings, output_path=args.output)
    except BuildFailed as failure:
        print(failure.report(), file=sys.stderr)
        if args.problems_file:
            Path(args.problems_file).write_text(json.dumps(failure.problems), "utf-8")
        return 1
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    print(result.summary(args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
