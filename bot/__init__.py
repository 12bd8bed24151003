"""careerbot. Importing it defers httpx's command-line client, which httpx would otherwise
import eagerly and no careerbot process uses (bot/deferred_imports.py)."""

from bot.deferred_imports import defer_httpx_cli

defer_httpx_cli()
