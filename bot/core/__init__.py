"""Telegram-free services of careerbot. Nothing under bot.core imports telegram."""
