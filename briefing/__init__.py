"""Research-briefing site generator."""
