import secrets
from typing import NamedTuple

from allauth.mfa.utils import is_mfa_enabled
from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.cache import caches
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from common.constraints import ConstraintMessagesBesideFields
from common.models import LeavesVersionsAlone

from . import roles


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


def new_access_stamp() -> str:
    return secrets.token_hex(8)


# How long a process keeps what an account may do without asking the database again,
# whatever its stamp says: the stamp is what keeps it right; this only bounds how long a
# change written around the signals that replace it (in SQL by hand, say) could go unseen.
ACCESS_KEPT_SECONDS = 300


class Access(NamedTuple):
    """What an account may do, as the staff rules and the layout ask it on every page."""

    group_names: frozenset[str]
    has_mfa: bool
    user_permissions: frozenset[str]
    group_permissions: frozenset[str]


class User(ConstraintMessagesBesideFields, LeavesVersionsAlone, AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; there is no username."""

    constraint_fields = {
        "user_email_unique_case_insensitive": "email",
    }

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Can sign in to the Django admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Replaced, in the same transaction, by every change to the account's groups, its
    # permissions (its own or its groups'), or its authenticators (``accounts.signals``):
    # what a process kept of them under the old stamp is never used again. Random, not a
    # counter, so an account made later with the same id (SQLite may reuse one) shares
    # nothing kept for the one before (accounts that existed before it was added share
    # their first one; every key holds the account's id too).
    access_stamp = models.CharField(max_length=16, default=new_access_stamp, editable=False)

    objects = UserManager()
    version_fields = ("access_stamp",)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        # The table the portal has had since its first release, when this model lived in
        # dit_portal (accounts/migrations/0001_initial.py took it over as it was).
        db_table = "dit_portal_user"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_case_insensitive",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def access(self) -> Access:
        """Its groups, whether it has a second factor and its permissions: read from the
        database (4 queries) once per stamp in each process, and kept there
        (``access_stamp``). Its permissions are handed to Django's permission checks, which
        would otherwise read them again on every page."""
        store = caches["access"]
        # A superuser has every permission, an inactive account none: kept apart, should
        # either flag change on its own (a plain save of the account).
        key = f"access:{self.pk}:{self.access_stamp}:{self.is_superuser}:{self.is_active}"
        access = store.get(key)
        if access is None:
            # Imported here: the module reads the user model as it loads.
            from django.contrib.auth.backends import ModelBackend

            backend = ModelBackend()
            access = Access(
                group_names=frozenset(self.groups.values_list("name", flat=True)),
                has_mfa=is_mfa_enabled(self),
                user_permissions=frozenset(backend.get_user_permissions(self)),
                group_permissions=frozenset(backend.get_group_permissions(self)),
            )
            store.set(key, access, ACCESS_KEPT_SECONDS)
        return access

    def _hand_over_permissions(self) -> None:
        """Fill the caches ModelBackend (and allauth's backend, a ModelBackend too) reads
        before the database with the permissions kept in ``access``."""
        if self.is_active and not hasattr(self, "_perm_cache"):
            self._user_perm_cache = set(self.access.user_permissions)
            self._group_perm_cache = set(self.access.group_permissions)
            self._perm_cache = self._user_perm_cache | self._group_perm_cache

    def has_perm(self, perm, obj=None):
        self._hand_over_permissions()
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        self._hand_over_permissions()
        return super().has_module_perms(app_label)

    @property
    def group_names(self) -> frozenset[str]:
        return self.access.group_names

    @property
    def is_commission_staff(self) -> bool:
        return self.is_superuser or roles.COMMISSION_STAFF in self.group_names

    @property
    def is_network_coordinator(self) -> bool:
        return self.is_superuser or roles.NETWORK_COORDINATORS in self.group_names

    @property
    def has_staff_role(self) -> bool:
        """Commission staff, coordinators, admins and anyone with admin-site access.

        These are the people who must use MFA.
        """
        return (
            self.is_superuser or self.is_staff or bool(self.group_names & set(roles.STAFF_GROUPS))
        )

    @property
    def has_mfa(self) -> bool:
        """Whether an authenticator app is set up: asked on every page, by the middleware
        that guards every page and again by each staff view."""
        return self.access.has_mfa


# Who gave whom which role, and who switched an account off.
auditlog.register(
    User, include_fields=["is_active", "is_staff", "is_superuser"], m2m_fields={"groups"}
)
