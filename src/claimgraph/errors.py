"""The exception tree: every error claimgraph raises on purpose.

    ClaimgraphError                 base; ``code`` names the error, ``str()`` is one line for the user
     +-- InputError                 an input can not be read or is not an article
     |    +-- EmptyInputError       nothing left after cleaning
     |    +-- BinaryInputError      not text (NUL bytes, undecodable)
     |    +-- TooLargeError         over a configured size limit
     +-- FetchError                 a URL could not be fetched (timeout, HTTP status, refused address)
     +-- StoreError                 the database can not be opened, migrated or written
     |    +-- StaleLinksError       another process changed claims since they were linked against
     +-- ExtractionError            the pipeline failed on one article
     +-- ConfigError                a setting or option has a bad value
"""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Base of all claimgraph errors; ``code`` is a stable identifier."""

    code = "E000"

    def __init__(self, message: str, *, subject: str | None = None) -> None:
        self.subject = subject
        super().__init__(f"{subject}: {message}" if subject else message)


class InputError(ClaimgraphError):
    code = "E100"


class EmptyInputError(InputError):
    code = "E101"


class BinaryInputError(InputError):
    code = "E102"


class TooLargeError(InputError):
    code = "E103"


class FetchError(ClaimgraphError):
    code = "E200"


class StoreError(ClaimgraphError):
    code = "E300"


class StaleLinksError(StoreError):
    """A write linked against claims that another process has changed since: nothing was
    written; link again against the store as it is now."""

    code = "E301"


class ExtractionError(ClaimgraphError):
    code = "E400"


class ConfigError(ClaimgraphError):
    code = "E500"
