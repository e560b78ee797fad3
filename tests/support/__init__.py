"""Helpers shared by the site-level tests: build once, serve under a sub-path, crawl, drive a browser."""
