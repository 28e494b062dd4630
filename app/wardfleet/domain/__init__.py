"""Pure data and rules: no I/O, no Qt, nothing else of ours."""
