"""Build the research-briefing site: ``python build.py [build|serve|check] …`` (see --help)."""

from briefing.cli import run

if __name__ == "__main__":
    run()
