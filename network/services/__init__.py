"""Every write to the network goes through here, a module for each concern: membership,
cohorts (places, funding, reflection sessions), events, mentoring. The names are gathered
here so that callers need not know which module holds which."""

from .cohorts import (
    attendance_record,
    cohort_create,
    place_complete,
    place_confirm,
    place_nominate,
    place_withdraw,
    session_cancel,
    session_reply,
    session_update,
)
from .errors import NotAllowed
from .events import (
    event_cancel,
    event_cancel_rsvp,
    event_record_attendance,
    event_reply,
    event_rsvp,
    event_save,
)
from .membership import (
    PROFILE_FIELDS,
    membership_apply,
    membership_decide,
    membership_leave,
    membership_stop_news,
    profile_update,
)
from .mentoring import (
    match_change_mentor,
    match_confirm,
    match_reject,
    match_swap,
    match_unreject,
    matching_run,
)

__all__ = [
    "PROFILE_FIELDS",
    "NotAllowed",
    "attendance_record",
    "cohort_create",
    "event_cancel",
    "event_cancel_rsvp",
    "event_record_attendance",
    "event_reply",
    "event_rsvp",
    "event_save",
    "match_change_mentor",
    "match_confirm",
    "match_reject",
    "match_swap",
    "match_unreject",
    "matching_run",
    "membership_apply",
    "membership_decide",
    "membership_leave",
    "membership_stop_news",
    "place_complete",
    "place_confirm",
    "place_nominate",
    "place_withdraw",
    "profile_update",
    "session_cancel",
    "session_reply",
    "session_update",
]
