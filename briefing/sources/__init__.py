"""Readers: input files -> model values (the only stage that reads files)."""
