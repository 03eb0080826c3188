"""What the network's services refuse."""


class NotAllowed(Exception):
    """The action does not fit the current state (shown to the person as the message)."""
