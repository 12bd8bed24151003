"""The Telegram adapter: parse updates, call bot.core, render HTML. No business logic here."""
