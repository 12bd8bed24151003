"""`python -m bot` is the `careerbot` command."""

import sys

from bot.terminal.cli import main

sys.exit(main())
