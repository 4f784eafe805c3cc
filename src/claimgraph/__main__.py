"""``python -m claimgraph`` -> the command line."""

from .serve.cli import main

main()
