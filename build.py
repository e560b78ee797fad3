"""Build the research-briefing site: ``python build.py [build|serve|check] …`` (see --help)."""

import sys

from briefing.cli import main

if __name__ == "__main__":
    sys.exit(main())
