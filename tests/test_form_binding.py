"""Task forms bind their fields by copying the fields bound first (forms/binding.py): every form of every
task comes out as WTForms' own binding makes it (same attributes, same rendered HTML, same data and errors from
the same submission), and what a page changes on its form (choices, flags, attributes, a label) stays on it."""
from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask

from forms import REGISTRY

FORM_CLASSES = sorted({(p, t, cls) for p, tasks in REGISTRY.items() for t, cls in tasks.items()},
                      key=lambda x: (x[0], x[1]))
NOW = datetime(2026, 11, 23, 10, 30)


@pytest.fixture(scope="module")
def flask_app():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False, WTF_I18N_ENABLED=False)
    return app


def _plain(form_class):
    """The same form bound the way WTForms does by itself."""
    class Meta:
        def bind_field(self, form, unbound_field, options):
            return unbound_field.bind(form=form, **options)
    return type(form_class.__name__, (form_class,), {"Meta": Meta})


def _build(form_class):
    return form_class(context={}, now=NOW, lookups={})


def _state(field) -> dict:
    state = {k: v for k, v in vars(field).items()
             if k not in ("_form", "meta", "flags", "label", "entries", "form")}
    state["flags"] = vars(field.flags)
    state["label"] = (field.label.field_id, field.label.text)
    return state


def _submission(form) -> dict:
    """Something for every field, valid or not, so processing and checking run."""
    data = {}
    for field in form:
        if field.type in ("DateField",):
            data[field.name] = "2026-11-20"
        elif field.type == "DateTimeLocalField":
            data[field.name] = "2026-11-20T09:00"
        elif field.type in ("RadioField", "SelectField"):
            data[field.name] = "yes"
        elif field.type not in ("FieldList", "FormField", "FileField", "MultipleFileField"):
            data[field.name] = "1"
    return data


@pytest.mark.parametrize("process_id,task_name,form_class", FORM_CLASSES,
                         ids=lambda x: x if isinstance(x, str) else "")
def test_a_copied_form_is_the_form_wtforms_binds(flask_app, process_id, task_name, form_class):
    plain_class = _plain(form_class)
    with flask_app.test_request_context("/", method="GET"):
        data = _submission(_build(plain_class))
    for method, payload in (("GET", None), ("POST", data), ("POST", {})):
        with flask_app.test_request_context("/", method=method, data=payload):
            first, copied, plain = _build(form_class), _build(form_class), _build(plain_class)
            for form in (first, copied):
                assert [f.name for f in form] == [f.name for f in plain]
                for field, expected in zip(form, plain):
                    assert type(field) is type(expected)
                    assert field._form is form and field.meta is form.meta
                    assert _state(field) == _state(expected), field.name
                    assert str(field) == str(expected) and str(field.label) == str(expected.label)
            if method == "POST":
                valid = plain.validate()
                for form in (first, copied):
                    assert form.validate() == valid
                    assert form.errors == plain.errors and form.data == plain.data


def test_what_a_page_changes_on_its_form_stays_on_it(flask_app):
    form_class = REGISTRY["rental_patrol"]["patrol"]
    with flask_app.test_request_context("/"):
        first = _build(form_class)
        first.door_opened.choices.append(("maybe", "也许"))
        first.door_opened.flags.required = False
        first.door_opened.label.text = "改过的"
        first.note.render_kw = {"rows": 2}
        second = _build(form_class)
        assert [c.value if hasattr(c, "value") else c[0] for c in second.door_opened.choices] == ["yes", "no"]
        assert second.door_opened.flags.required is True
        assert second.door_opened.label.text == "是否开门"
        assert second.note.render_kw is None
        assert second.door_opened._form is second and first.door_opened._form is first


def test_task_forms_leave_the_token_to_the_app_wide_check():
    # CSRFProtect checks every POST's token before the view; a task form signs no token of its own.
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=True, WTF_I18N_ENABLED=False)
    with app.test_request_context("/"):
        for _process, _task, form_class in FORM_CLASSES:
            form = _build(form_class)
            assert "csrf_token" not in form and not form.meta.csrf, form_class


def test_a_form_with_a_token_field_gets_its_own_and_nothing_accumulates():
    from forms import binding

    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=True, WTF_I18N_ENABLED=False)
    patrol = REGISTRY["rental_patrol"]["patrol"]
    # A form that asks for a token field (as FlaskForm does by default): made anew for each form, never kept.
    form_class = type("PatrolWithToken", (patrol,), {"Meta": type("Meta", (patrol.Meta,), {"csrf": True})})
    with app.test_request_context("/"):
        _build(form_class)
        kept = len(binding._BOUND)
        forms = [_build(form_class) for _ in range(20)]
        assert len(binding._BOUND) == kept  # the token's field, new for every form, is not kept
        for form in forms:
            assert form.csrf_token._form is form and form.csrf_token.csrf_impl is form._csrf
        assert len({id(f.csrf_token) for f in forms}) == 20
        assert "csrf_token" in str(forms[0].csrf_token)
