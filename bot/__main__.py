"""`python -m bot` is the `careerbot` command."""
import sys

from bot.cli import main

sys.exit(main())
