"""allauth's forms in the portal's words: GOV.UK sentence case, no placeholder text.

allauth labels some fields in title case ("Remember Me", "New Password") and repeats each
label as placeholder text, which GOV.UK forms do not use (it disappears as people type and
is easily taken for an answer). Rather than replace allauth's English through a translation
catalogue, which would hide the portal's wording in a .po file and break silently when
allauth changes a msgid, these subclasses say the portal's own labels, translated as the
portal's strings. ``ACCOUNT_FORMS`` and ``MFA_FORMS`` in the settings name them.
"""

import copy

from allauth.account import forms as account_forms
from allauth.account.fields import PasswordField
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# What a person can type is bounded, as in every other form of the portal: allauth leaves
# passwords and codes open-ended. A password manager's longest fits; a code is at most a
# recovery code or a "XXXX-XXXX" sign-in code.
PASSWORD_MAX = 128
CODE_MAX = 32


def _bounded(field):
    """``field`` with a length limit, if it is text without one (changed in place)."""
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = PASSWORD_MAX if isinstance(field, PasswordField) else CODE_MAX
        field.validators.append(MaxLengthValidator(field.max_length))
        field.widget.attrs["maxlength"] = str(field.max_length)
    return field


# What to do about a field left empty, by field name, in every account form: GOV.UK
# messages name what is missing instead of Django's "This field is required."
REQUIRED = {
    "login": _("Enter your email address"),
    "email": _("Enter your email address"),
    "username": _("Enter a username"),
    "password": _("Enter your password"),
    "oldpassword": _("Enter your current password"),
    "password1": _("Enter a password"),
    "password2": _("Enter the password again to confirm it"),
    "code": _("Enter the code"),
}


def _worded(field, name, form):
    """``field`` bounded, its placeholder dropped, with the form's label, hint and a
    message for leaving it empty (changed in place)."""
    _bounded(field)
    field.widget.attrs.pop("placeholder", None)
    if name in form.labels:
        field.label = form.labels[name]
    if name in form.hints:
        field.help_text = form.hints[name]
    if name in REQUIRED:
        field.error_messages = {**field.error_messages, "required": REQUIRED[name]}
    return field


class PortalWording:
    """Relabels the form's fields (``labels``), gives them hints (``hints``), says what to
    do when one is left empty (``REQUIRED``) and drops their placeholder text."""

    labels: dict = {}
    hints: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            _worded(field, name, self)  # those allauth adds as the form is made, too


class LoginForm(PortalWording, account_forms.LoginForm):
    labels = {"login": _("Email address"), "password": _("Password"), "remember": _("Remember me")}
    # The "Forgot your password?" link is on the page, after the form, not in the
    # password's hint, where a screen reader would read it out as the field's description.
    hints = {"password": ""}


class SignupForm(PortalWording, account_forms.SignupForm):
    labels = {
        "email": _("Email address"),
        "password1": _("Create a password"),
        "password2": _("Confirm your password"),
    }


class AddEmailForm(PortalWording, account_forms.AddEmailForm):
    labels = {"email": _("Email address")}


class ChangePasswordForm(PortalWording, account_forms.ChangePasswordForm):
    labels = {
        "oldpassword": _("Current password"),
        "password1": _("New password"),
        "password2": _("Confirm your new password"),
    }
    hints = {"oldpassword": ""}


class SetPasswordForm(PortalWording, account_forms.SetPasswordForm):
    labels = {"password1": _("Create a password"), "password2": _("Confirm your password")}


class ResetPasswordForm(PortalWording, account_forms.ResetPasswordForm):
    labels = {"email": _("Email address")}


class ResetPasswordKeyForm(PortalWording, account_forms.ResetPasswordKeyForm):
    labels = {"password1": _("New password"), "password2": _("Confirm your new password")}


class ReauthenticateForm(PortalWording, account_forms.ReauthenticateForm):
    labels = {"password": _("Password")}
    hints = {"password": ""}


class ConfirmReauthenticationCodeForm(PortalWording, account_forms.ConfirmReauthenticationCodeForm):
    labels = {"code": _("Code")}


class ConfirmLoginCodeForm(PortalWording, account_forms.ConfirmLoginCodeForm):
    labels = {"code": _("Code")}


# The second factor: a code from the authenticator app, or a recovery code, which the
# same field takes (allauth checks the code against every authenticator the account has).
SECOND_FACTOR_HINT = _(
    "The 6-digit code your authenticator app shows now. If you do not have your app, "
    "enter one of your recovery codes instead: each recovery code works once."
)


class AuthenticateForm(PortalWording, mfa_forms.AuthenticateForm):
    labels = {"code": _("Code")}
    hints = {"code": SECOND_FACTOR_HINT}


class MFAReauthenticateForm(PortalWording, mfa_forms.ReauthenticateForm):
    labels = {"code": _("Code")}
    hints = {"code": SECOND_FACTOR_HINT}


class ActivateTOTPForm(PortalWording, totp_forms.ActivateTOTPForm):
    labels = {"code": _("Code from your authenticator app")}
    hints = {"code": _("After you add the portal, your app shows a 6-digit code.")}


# Each form's declared fields worded too, as copies: allauth's own forms share the field
# objects and are left as they are.
for _form in [f for f in globals().values() if isinstance(f, type)]:
    if issubclass(_form, PortalWording) and _form is not PortalWording:
        _form.base_fields = {
            name: _worded(copy.deepcopy(field), name, _form)
            for name, field in _form.base_fields.items()
        }
del _form
