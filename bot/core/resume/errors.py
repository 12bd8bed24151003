"""The one exception the résumé core raises for input it cannot use."""

from __future__ import annotations


class ResumeInputError(ValueError):
    """A file or text the bot cannot read as a résumé.

    `message` is written for the student (safe to show as is); `code` is a short
    machine-readable reason ("too_large", "encrypted", "image", ...) for callers and tests.
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __reduce__(self):  # survive the trip back from the parser process
        return (type(self), (self.message, self.code))
