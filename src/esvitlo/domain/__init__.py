"""Pure schedule logic: models, parsing, change detection, timeline and texts (stdlib only)."""
