"""What the gates need to know about the URLconf: every named URL of the portal, and who
may open it (``RULES``: the expected status for each kind of visitor). The permission matrix
checks the rules; the browser gates use them to find a visitor who can see each page."""

from django.contrib import admin as django_admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from tests import world


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from _walk(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def url_names() -> list[str]:
    """Every named URL of the portal, in URLconf order, each once."""
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))


(
    ANONYMOUS,
    MEMBER,
    OTHER_MEMBER,
    EMPLOYER,
    OTHER_EMPLOYER,
    LEAD,
    STAFF,
    COORDINATOR,
    ADMIN,
) = world.ROLES
SIGNED_IN = set(world.ROLES) - {ANONYMOUS}
MEMBERS = {MEMBER, OTHER_MEMBER, COORDINATOR, ADMIN}
MFA_USERS = {STAFF, COORDINATOR, ADMIN}


def rule(allowed, *, ok=200, anonymous=302, denied=403, **overrides):
    """Expected status for each role: ``ok`` for the allowed, sign in first (302) for an
    anonymous visitor who is not allowed, ``denied`` for anyone else."""
    codes = {}
    for role in world.ROLES:
        if role in allowed:
            codes[role] = ok
        elif role == ANONYMOUS:
            codes[role] = anonymous
        else:
            codes[role] = denied
    codes.update(overrides)
    return codes


PUBLIC = rule(set(world.ROLES))
COMMISSION = rule({STAFF, ADMIN})
COORDINATORS = rule({COORDINATOR, ADMIN})
STAFF_ROLES = rule({STAFF, COORDINATOR, ADMIN})
ACCOUNT = rule(SIGNED_IN)
SIGNED_OUT_ONLY = rule({ANONYMOUS}, denied=302)  # signed-in people are sent on
ALWAYS_REDIRECTS = rule(set(world.ROLES), ok=302)  # nothing to show without a step before it
POST_ONLY = 405  # an action: its own tests post to it; a GET is refused once access is granted

RULES = {
    "home": PUBLIC,
    "staff_home": STAFF_ROLES,
    "email_log": STAFF_ROLES,
    # An invitation's reply link: the signed link is the permission, signed in or not.
    "reply": PUBLIC,
    # A personal calendar address is the permission; managing one needs an account.
    "calendar_feed": PUBLIC,
    "calendar_feed_manage": rule(SIGNED_IN, ok=POST_ONLY),
    # News: the archive is public; writing and sending for commission staff and
    # coordinators (with the admins).
    # Recommendations and the evidence library: public once published; written by the
    # commission's staff (with the admins).
    "recommendations:index": PUBLIC,
    "recommendations:detail": PUBLIC,
    "recommendations:you_said_we_did": PUBLIC,
    "recommendations:evidence": PUBLIC,
    "recommendations:document_file": PUBLIC,
    "recommendations:staff_list": COMMISSION,
    "recommendations:staff_create": COMMISSION,
    "recommendations:staff_detail": COMMISSION,
    "recommendations:staff_edit": COMMISSION,
    "recommendations:staff_evidence": COMMISSION,
    "recommendations:staff_evidence_remove": COMMISSION,
    "recommendations:staff_quotes": COMMISSION,
    "recommendations:staff_action_remove": rule({STAFF, ADMIN}, ok=POST_ONLY),
    "recommendations:staff_documents": COMMISSION,
    "recommendations:staff_document_create": COMMISSION,
    "recommendations:staff_document_edit": COMMISSION,
    # The open data API: public, as the pages it mirrors; its docs lead from /api/.
    "api_home": PUBLIC,
    "api_schema": PUBLIC,
    "api-v1:api-root": rule(set(world.ROLES), ok=404),
    "api-v1:activities": PUBLIC,
    "api-v1:job_advert_check": rule(set(world.ROLES), ok=POST_ONLY),
    "api-v1:activity": PUBLIC,
    "api-v1:activities_csv": PUBLIC,
    "api-v1:recommendations": PUBLIC,
    "api-v1:recommendations_csv": PUBLIC,
    "api-v1:recommendation": PUBLIC,
    "api-v1:findings": PUBLIC,
    "api-v1:findings_csv": PUBLIC,
    "api-v1:findings_detail": PUBLIC,
    "api-v1:events": PUBLIC,
    "api-v1:events_csv": PUBLIC,
    "news:archive": PUBLIC,
    "news:staff_list": STAFF_ROLES,
    "news:staff_create": STAFF_ROLES,
    "news:staff_detail": STAFF_ROLES,
    "news:staff_edit": STAFF_ROLES,
    "network:stop_news": PUBLIC,  # the emailed, signed link is the permission
    "employers:stop_emails": PUBLIC,  # likewise
    "employers:findings_announce": rule({STAFF, ADMIN}, ok=POST_ONLY),
    "privacy_notice": PUBLIC,
    "accessibility_statement": PUBLIC,
    "healthz": PUBLIC,
    "favicon": rule(set(world.ROLES), ok=301),
    # allauth
    "account_login": SIGNED_OUT_ONLY,
    "account_signup": SIGNED_OUT_ONLY,
    "account_logout": rule(SIGNED_IN),
    "account_inactive": PUBLIC,
    "account_reauthenticate": ACCOUNT,
    # Reauthenticating by a code sent to one's verified address; the code's page only after
    # asking for one (tests/accounts/test_accounts.py and the reauthentication journey).
    "account_request_reauthentication_code": ACCOUNT,
    "account_confirm_reauthentication_code": ALWAYS_REDIRECTS,
    "account_email": ACCOUNT,
    "account_email_verification_sent": PUBLIC,
    "account_change_password": ACCOUNT,
    "account_set_password": ALWAYS_REDIRECTS,  # everyone here has a password: to "change"
    "account_reset_password": PUBLIC,
    "account_confirm_login_code": ALWAYS_REDIRECTS,  # only after asking for a code
    "account_confirm_email": PUBLIC,  # the emailed link is the permission
    "account_reset_password_from_key_done": PUBLIC,
    "account_reset_password_from_key": ALWAYS_REDIRECTS,  # the key moves into the session
    "account_reset_password_done": PUBLIC,
    "mfa_index": ACCOUNT,
    "mfa_authenticate": ALWAYS_REDIRECTS,  # only in the middle of signing in
    "mfa_reauthenticate": rule(MFA_USERS, denied=302),
    "mfa_activate_totp": ALWAYS_REDIRECTS,  # asks for the password again first
    "mfa_generate_recovery_codes": ALWAYS_REDIRECTS,  # likewise
    # Only for someone with an authenticator, after the password again; 404 for the rest.
    "mfa_deactivate_totp": rule(MFA_USERS, ok=302, denied=404),
    "mfa_view_recovery_codes": rule(MFA_USERS, ok=302, denied=404),
    "mfa_download_recovery_codes": rule(MFA_USERS, ok=302, denied=404),
    # roadmap
    "milestones:roadmap": PUBLIC,
    "milestones:calendar": PUBLIC,
    "milestones:roadmap_json": PUBLIC,
    "milestones:meeting_detail": PUBLIC,
    "milestones:meeting_ics": PUBLIC,
    # An uploaded paper not yet published: its invitee and staff; a 404 for anyone else.
    "milestones:paper_download": rule({MEMBER, STAFF, ADMIN}, anonymous=404, denied=404),
    "milestones:meeting_papers": COMMISSION,
    "milestones:paper_remove": COMMISSION,
    "milestones:meeting_rsvp": rule(set(world.ROLES), ok=POST_ONLY),
    "milestones:activity_detail": PUBLIC,
    "milestones:staff_roadmap": COMMISSION,
    "milestones:activity_create": COMMISSION,
    "milestones:activity_edit": COMMISSION,
    "milestones:advisory_members": COMMISSION,
    "milestones:advisory_member_create": COMMISSION,
    "milestones:advisory_member_edit": COMMISSION,
    "milestones:meeting_create": COMMISSION,
    "milestones:meeting_edit": COMMISSION,
    "milestones:meeting_minutes": COMMISSION,
    "milestones:meeting_cancel": COMMISSION,  # GET asks to confirm; POST cancels
    # consultation
    "consultation:index": PUBLIC,
    "consultation:withdraw_contact": PUBLIC,  # the emailed link is the permission
    "consultation:contact_topics": PUBLIC,  # likewise
    # One click from a mail program posts; a browser's GET is sent to the page that asks.
    "consultation:unsubscribe": rule(set(world.ROLES), ok=302),
    "consultation:detail": PUBLIC,
    "consultation:privacy": PUBLIC,
    "consultation:easy_read": PUBLIC,
    "consultation:step": PUBLIC,
    "consultation:check": ALWAYS_REDIRECTS,  # nothing answered yet: back to the questions
    "consultation:done": ALWAYS_REDIRECTS,  # nothing sent yet
    "consultation:findings": PUBLIC,
    "consultation:findings_figures": PUBLIC,
    "consultation:findings_figures_dictionary": PUBLIC,
    "consultation_staff:list": COMMISSION,
    "consultation_staff:create": COMMISSION,
    "consultation_staff:wards": COMMISSION,
    "consultation_staff:ward_edit": COMMISSION,
    "consultation_staff:detail": COMMISSION,
    "consultation_staff:translations": COMMISSION,
    "consultation_staff:translation_edit": COMMISSION,
    "consultation_staff:edit": COMMISSION,
    "consultation_staff:option_add": COMMISSION,
    "consultation_staff:option_edit": COMMISSION,
    "consultation_staff:response_enter": COMMISSION,
    "consultation_staff:results": COMMISSION,
    "consultation_staff:coding": COMMISSION,
    "consultation_staff:code_response": COMMISSION,
    "consultation_staff:theme_add": rule({STAFF, ADMIN}, ok=POST_ONLY),
    "consultation_staff:capture_sync": rule({STAFF, ADMIN}, ok=POST_ONLY, anonymous=401),
    "consultation_staff:capture": COMMISSION,
    "consultation_staff:capture_worker": COMMISSION,
    "consultation_staff:capture_token": rule({STAFF, ADMIN}, anonymous=401),
    "consultation_staff:capture_manifest": COMMISSION,
    "consultation_staff:export_answers": COMMISSION,
    "consultation_staff:export_answers_dictionary": COMMISSION,
    "consultation_staff:export_aggregate": COMMISSION,
    "consultation_staff:export_aggregate_dictionary": COMMISSION,
    "consultation_staff:findings_manage": COMMISSION,
    # employers
    "employers:index": PUBLIC,
    "employers:advert_checker": PUBLIC,
    "employers:invitation": rule(set(world.ROLES), ok=302),  # the link is the permission
    # Each invited organisation sees its own response (the secrets check shows it is only
    # its own); anyone else is refused (signing in would not help, so no sign-in redirect).
    "employers:survey": rule({EMPLOYER, OTHER_EMPLOYER}, anonymous=403),
    # Checking the answers before submitting: the same organisations as the form.
    "employers:survey_check": rule({EMPLOYER, OTHER_EMPLOYER}, anonymous=403),
    "employers:thanks": rule({EMPLOYER, OTHER_EMPLOYER}, denied=302),
    "employers:findings": PUBLIC,
    "employers:findings_figures": PUBLIC,
    "employers:findings_figures_dictionary": PUBLIC,
    "employers:staff_list": COMMISSION,
    "employers:create": COMMISSION,
    "employers:staff_survey": COMMISSION,
    "employers:edit": COMMISSION,
    "employers:staff_lists": COMMISSION,
    "employers:list_item_edit": COMMISSION,
    # GET asks to confirm; POST does it.
    "employers:invitation_resend": COMMISSION,
    "employers:account_remove": COMMISSION,
    "employers:results": COMMISSION,
    "employers:export_responses": COMMISSION,
    "employers:export_responses_dictionary": COMMISSION,
    "employers:export_findings": COMMISSION,
    "employers:export_findings_dictionary": COMMISSION,
    "employers:findings_manage": COMMISSION,
    # network
    "network:index": PUBLIC,
    "network:apply": ACCOUNT,
    "network:members": rule(MEMBERS),
    # A member's own profile: coordinators and admins who are not members have none.
    "network:profile": rule({MEMBER, OTHER_MEMBER}, **{COORDINATOR: 404, ADMIN: 404}),
    "network:leave": rule({MEMBER, OTHER_MEMBER}, **{COORDINATOR: 404, ADMIN: 404}),
    "network:me": rule({MEMBER, OTHER_MEMBER}, **{COORDINATOR: 404, ADMIN: 404}),
    "network:ask": rule({MEMBER, OTHER_MEMBER}, **{COORDINATOR: 404, ADMIN: 404}),
    # Only someone with a place on the session's course: anyone else finds no such file.
    "network:session_ics": rule({MEMBER}, **{OTHER_MEMBER: 404, COORDINATOR: 404, ADMIN: 404}),
    # A member's own mentoring pairing: anyone else finds no such page.
    "network:pairing": rule({MEMBER}, **{OTHER_MEMBER: 404, COORDINATOR: 404, ADMIN: 404}),
    "network:pairing_end": rule({MEMBER}, **{OTHER_MEMBER: 404, COORDINATOR: 404, ADMIN: 404}),
    "network:evaluation": rule({MEMBER}, **{OTHER_MEMBER: 404, COORDINATOR: 404, ADMIN: 404}),
    "network:cohort_evaluation": COORDINATORS,
    # An organisation's leads, for its own people (another organisation's request is 404).
    "network:organisation": rule({LEAD}),
    "network:organisation_nomination": rule({LEAD}),
    "network:nomination_place": rule({COORDINATOR, ADMIN}, ok=POST_ONLY),
    "network:nomination_decline": COORDINATORS,  # asks for the reason (GET); its POST declines
    "network:events": rule(MEMBERS),
    "network:event": rule(MEMBERS),
    "network:event_ics": rule(MEMBERS),
    "network:sessions": rule(MEMBERS),
    "network:timetable_ics": rule(MEMBERS),
    "network:timetable": COORDINATORS,
    "network:applications": COORDINATORS,
    "network:decide": COORDINATORS,
    "network:cohorts": COORDINATORS,
    "network:cohort": COORDINATORS,
    "network:place_withdraw": COORDINATORS,  # asks first (GET); its POST withdraws
    "network:place_action": rule({COORDINATOR, ADMIN}, ok=POST_ONLY),
    "network:session": COORDINATORS,
    "network:event_create": COORDINATORS,
    "network:event_edit": COORDINATORS,
    "network:event_attendance": COORDINATORS,
    "network:event_cancel": COORDINATORS,  # asks first (GET); its POST cancels
    "network:mentoring": COORDINATORS,
    "network:match_reject": COORDINATORS,  # asks first (GET); its POST rejects
    "network:match_action": rule({COORDINATOR, ADMIN}, ok=POST_ONLY),
}

# The Django admin is for admins: everyone else signed in is refused, anyone signed out is
# sent to sign in (through allauth, with its rate limits and MFA).
# (Django's admin sends a signed-in non-admin to its login, which allauth's guard refuses.)
ADMIN_SITE = rule({ADMIN}, denied=302)
ADMIN_LOGIN = rule({ANONYMOUS, ADMIN}, ok=302)
ADMIN_SPECIAL = {
    "admin:login": ADMIN_LOGIN,
    "admin:logout": rule({ADMIN}, ok=POST_ONLY, denied=302),
    "admin:view_on_site": rule({ADMIN}, ok=302, denied=302),  # on to the object's own page
    "admin:password_change": rule({ADMIN}, ok=302, denied=302),  # to allauth's own page
    "admin:autocomplete": rule({ADMIN}, ok=403, denied=302),  # only with a field to complete
}
# What nobody adds or deletes by hand, even in the admin: answers come from residents and
# employers, codes from the coding page, sessions from their cohort; lockouts, the audit
# log, the outbox's email and the public pages' revisions are the portal's own records; accounts
# are linked only by following an invitation link.
ADMIN_REFUSED = {
    "admin:consultation_response_add",
    "admin:consultation_responsetheme_add",
    "admin:axes_accessattempt_add",
    "admin:axes_accesslog_add",
    "admin:axes_accessfailurelog_add",
    "admin:auditlog_logentry_add",
    "admin:auditlog_logentry_delete",
    "admin:notifications_message_add",
    "admin:notifications_message_delete",
    "admin:notifications_calendarfeed_add",
    "admin:employers_findingsannouncement_add",
    # Evidence and quotes come only from what was published, through the staff pages.
    "admin:recommendations_evidence_add",
    "admin:recommendations_quote_add",
    "admin:employers_findingsannouncement_delete",
    "admin:consultation_responseoption_add",
    "admin:consultation_translation_add",
    "admin:consultation_responseoption_delete",
    "admin:consultation_translation_delete",
    "admin:employers_skillrank_add",
    "admin:employers_linkedaccount_add",
    "admin:employers_skillrank_delete",
    "admin:network_reflectionsession_add",
    "admin:network_nomination_add",
    "admin:network_nomination_delete",
    "admin:common_revision_add",
    "admin:common_revision_delete",
}


def admin_params(name: str) -> dict | None:
    """Arguments for an admin URL, from the world's rows; None if there is no row to use."""
    action = name.rsplit("_", 1)[-1]
    if name == "admin:auth_user_password_change":  # UserAdmin's own name, whatever the model
        return {"id": world.first_user_pk()}
    if name == "admin:app_list":
        return {"app_label": "milestones"}
    if name == "admin:view_on_site":
        from milestones.models import Activity

        activity = Activity.objects.first()
        return {
            "content_type_id": ContentType.objects.get_for_model(Activity).pk,
            "object_id": activity.pk,
        }
    for model in django_admin.site._registry:
        opts = model._meta
        if name == f"admin:{opts.app_label}_{opts.model_name}_{action}" and action in {
            "change",
            "delete",
            "history",
            "auditlog",
        }:
            row = model._default_manager.order_by("pk").first()
            return None if row is None else {"object_id": row.pk}
    return {}


def expected(name: str) -> dict:
    if name in ADMIN_SPECIAL:
        return ADMIN_SPECIAL[name]
    if name in ADMIN_REFUSED:
        return rule({ADMIN}, ok=403, denied=302)
    if name.startswith("admin:"):
        return ADMIN_SITE
    return RULES[name]
