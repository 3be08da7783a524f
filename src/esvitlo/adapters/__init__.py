"""One module per technology, each implementing ports."""
