"""Links that a feature app's page shows to pages of the apps above it, which the feature
app may not import (README: "Architecture"): an app above registers, for a place on a page
("milestones.activity", say), what to link to from there, and the page asks for its links
with the ``related_links`` template tag. Each provider reads in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RelatedLink:
    text: str
    url: str
    hint: str = ""


_PROVIDERS: dict[str, list[Callable[[object], list[RelatedLink]]]] = {}


def provides(place: str):
    """Register a function giving the links for ``place`` (in an AppConfig.ready)."""

    def register(provider):
        _PROVIDERS.setdefault(place, []).append(provider)
        return provider

    return register


def links_for(place: str, obj=None) -> list[RelatedLink]:
    return [link for provider in _PROVIDERS.get(place, ()) for link in provider(obj)]
