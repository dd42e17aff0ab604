"""One module per command; each function does the work and returns the exit code."""
