"""`python -m ingest`: bring the Chroma index in line with knowledge/."""

import sys

from ingest.cli import ingest_main

sys.exit(ingest_main())
