"""The links this app adds to pages of the apps below it (``common.related``): from a
roadmap activity to the recommendations it serves, from a consultation's findings to what
the commission did with them, and from the home page to the recommendations."""

from django.urls import reverse
from django.utils.translation import gettext as _

from common.related import RelatedLink, provides

from . import selectors


@provides("milestones.activity")
def _activity(activity):
    return [
        RelatedLink(str(r), r.get_absolute_url(), r.get_status_display())
        for r in selectors.for_activity(activity)
    ]


@provides("consultation.findings")
def _findings(consultation):
    links = [
        RelatedLink(
            _("You said, we did: what the commission did with what residents said"),
            reverse("recommendations:you_said_we_did", args=[consultation.slug]),
        )
    ]
    return links + [
        RelatedLink(str(r), r.get_absolute_url(), r.get_status_display())
        for r in selectors.for_consultation(consultation)
    ]
