"""`python -m bot` does what `dozor run` does."""
import sys

from bot.cli import main

sys.exit(main(["run", *sys.argv[1:]]))
