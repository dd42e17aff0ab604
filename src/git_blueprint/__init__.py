"""git-blueprint: a git repository of Markdown design documents, with a checked workflow."""

__version__ = "0.1.0.dev0"
