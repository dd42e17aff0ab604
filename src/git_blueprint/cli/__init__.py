"""What the user runs: the Typer application, one module per command, and output.

The only room that writes to stdout; Typer is imported in ``app`` and nowhere else.
"""
