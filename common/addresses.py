"""Email addresses shown to whoever holds a link."""


def masked(email: str) -> str:
    """Enough of the address for its owner to recognise it, not for anyone else holding
    their link to learn it: "a•••@example.org"."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
