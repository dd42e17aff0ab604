"""What the tests share: strategies for generated documents (``strategies``), repositories
with a server and two people (``worlds``), and markdown-it's block parse as the oracle the
block reader is held to (``oracle``)."""
