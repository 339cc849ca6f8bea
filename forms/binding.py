"""Binding a task form's fields once per process: every request builds its form anew, and WTForms builds
each field from its declaration again (checking the validators, collecting their flags, the label, the
choices), which costs as much as reading what was submitted. The first form of a class keeps a bound copy of
each field; later forms of the class get a shallow copy of it, with their own form, meta, flags, label and
containers."""
from __future__ import annotations

from wtforms.fields.core import Flags, Label

# (declaration, name, translations) -> (a bound field belonging to no form, the names of its attributes
# holding lists or dicts). Only the fields a form class declares, of forms without a prefix, are kept, so
# the number of entries is that of the declared fields, whatever a request submits.
_BOUND: dict = {}


class BindOnce:
    """A form Meta mixin: fields bound by copying the field this process bound first (see above)."""

    def bind_field(self, form, unbound_field, options):
        if options.get("prefix") or getattr(type(form), options["name"], None) is not unbound_field:
            # Not one of the class's declared fields (e.g. the CSRF token's, made anew for each form with
            # that form's token): bound as WTForms binds it.
            return unbound_field.bind(form=form, **options)
        key = (unbound_field, options["name"], options.get("translations"))
        found = _BOUND.get(key)
        if found is None:
            model = unbound_field.bind(form=form, **options)
            if getattr(model, "_datalist", None) is not None and not isinstance(model._datalist, str):
                return model  # a data list is its field's own object: bind such fields every time
            model._form, model.meta = None, None  # keep no request's form alive
            containers = tuple(name for name, value in model.__dict__.items()
                               if isinstance(value, (list, dict)))
            found = _BOUND[key] = (model, containers)
        return _copy(*found, form)


def _copy(model, containers: tuple[str, ...], form):
    field = object.__new__(type(model))  # not Field.__new__, which would hand back an unbound field
    state = model.__dict__.copy()
    for name in containers:  # e.g. render_kw, choices: a page may change its form's, never the next form's
        state[name] = state[name].copy()
    state["_form"], state["meta"] = form, form.meta
    flags = Flags()
    flags.__dict__.update(model.flags.__dict__)
    state["flags"] = flags
    state["label"] = Label(model.label.field_id, model.label.text)
    field.__dict__ = state
    return field
