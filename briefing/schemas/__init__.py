"""JSON Schema files for every content file; they double as the content documentation."""
