"""`python -m bot.cli ARGS` is `dozor ARGS`."""
import sys

from bot.cli import main

sys.exit(main())
