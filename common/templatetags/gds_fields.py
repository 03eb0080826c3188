"""Small helpers for rendering Django form fields as GOV.UK Design System components
(through the crispy-forms-gds template pack and the overrides in templates/gds/)."""

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

register = template.Library()

OPTIONAL = gettext_lazy("(optional)")


@register.filter
def field_label(bound_field) -> str:
    """The field's label, marked "(optional)" when the field may be left empty.

    GOV.UK forms mark the optional questions, never the required ones, and always the
    same way; a label that already says so is left alone. A lone checkbox is not
    marked: leaving it unticked is an answer. Nor is a field the form requires in another
    way (one of two fields, say), which says so with ``field.answer_expected = True``.
    """
    label = bound_field.label
    if (
        bound_field.field.required
        or getattr(bound_field.field, "answer_expected", False)
        or isinstance(bound_field.field.widget, forms.CheckboxInput)
        or str(OPTIONAL) in str(label)
    ):
        return label
    # A label built with format_html (a part in another language, say) stays markup.
    return format_html("{} {}", label, OPTIONAL)


@register.filter
def character_limit(bound_field):
    """How many characters a text box takes, for a GOV.UK character count (unless a
    crispy layout gave ``max_characters``). A text box counted gets the class and
    description the count's script and screen readers need."""
    widget, limit = bound_field.field.widget, getattr(bound_field.field, "max_length", None)
    if not limit or not isinstance(widget, forms.Textarea):
        return None
    classes = widget.attrs.get("class", "")
    if "govuk-js-character-count" not in classes:
        widget.attrs["class"] = f"{classes} govuk-js-character-count".strip()
    widget.attrs.setdefault("aria-describedby", "")
    return limit


@register.filter
def choice_options(bound_field):
    """The field's radios or checkboxes, without the empty "---------" choice: on a
    GOV.UK form not choosing anything is how a question is left unanswered."""
    return [option for option in bound_field if str(option.data["value"]) != ""]


@register.filter
def first_input_id(bound_field) -> str:
    """The id of the field's first input, for the error summary's link to it."""
    if bound_field.id_for_label:
        return bound_field.id_for_label
    options = choice_options(bound_field) if hasattr(bound_field.field, "choices") else []
    return options[0].id_for_label if options else f"{bound_field.auto_id}_0"
