"""Database constraints whose messages show beside the field they concern."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router


class ConstraintMessagesBesideFields:
    """A model mixin: ``constraint_fields`` names, for each constraint a person can break
    in a form, the field its message belongs beside (Django puts a check constraint's
    message at the top of the form). Each constraint states its own message in plain
    English (``violation_error_message``); a test holds every model to that."""

    constraint_fields: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    fields = getattr(constraint, "fields", ())
                    field = self.constraint_fields.get(constraint.name) or (
                        fields[0] if len(fields) == 1 else NON_FIELD_ERRORS
                    )
                    errors.setdefault(field, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)
