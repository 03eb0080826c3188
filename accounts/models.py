from allauth.mfa.utils import is_mfa_enabled
from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from common.constraints import ConstraintMessagesBesideFields

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


class User(ConstraintMessagesBesideFields, AbstractBaseUser, PermissionsMixin):
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

    objects = UserManager()

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
    def group_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

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

    @cached_property
    def has_mfa(self) -> bool:
        """Whether an authenticator app is set up: asked once per request, by the middleware
        that guards every page and again by each staff view."""
        return is_mfa_enabled(self)


# Who gave whom which role, and who switched an account off.
auditlog.register(
    User, include_fields=["is_active", "is_staff", "is_superuser"], m2m_fields={"groups"}
)
