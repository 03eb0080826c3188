"""What must never reach a log: secrets carried in a path (an invitation link is the key
to one organisation's response), which Django's request and server logs record whole."""

import logging
import re


class RedactSecrets(logging.Filter):
    """On a handler: rewrites a record whose message holds a path matching one of
    ``patterns`` (regular expressions whose first group is kept, the rest of the match
    becoming ``<token>``), and lets every record through."""

    def __init__(self, patterns=(), name=""):
        super().__init__(name)
        self.patterns = [re.compile(p) for p in patterns]

    def filter(self, record):
        message = record.getMessage()
        redacted = message
        for pattern in self.patterns:
            redacted = pattern.sub(r"\1<token>", redacted)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
