"""Addresses made from titles that no other page already has."""

from django.urls import resolve, reverse


def addressed_elsewhere(slug: str, url_names: tuple[str, ...]) -> bool:
    """Whether a page named in ``url_names`` (each taking the slug as its one argument)
    would, with ``slug``, have the address of another page that the URLconf finds first:
    a consultation called "wards" would be /staff/consultation/wards/, the ward list."""
    return any(resolve(reverse(name, args=[slug])).view_name != name for name in url_names)


def free_slug(base: str, taken: set[str], url_names: tuple[str, ...]) -> str:
    """``base``, or ``base-2``, ``base-3``… : the first that is not ``taken`` and not
    another page's address."""
    slug, n = base, 2
    while slug in taken or addressed_elsewhere(slug, url_names):
        slug, n = f"{base}-{n}", n + 1
    return slug
