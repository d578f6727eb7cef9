"""The Jinja2 environment for pages: GOV.UK Frontend macros plus Django's url and static."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

from cme.web.govuk_forms import error_list, field


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _link(href: str, text: Any, hidden_suffix: str = "") -> Markup:
    """A GOV.UK link whose text is escaped, for tables and summary lists that take html."""
    hidden = Markup('<span class="govuk-visually-hidden">{}</span>').format(hidden_suffix)
    return Markup('<a class="govuk-link" href="{}">{}{}</a>').format(
        href, text, hidden if hidden_suffix else ""
    )


def _govuk_date(value: Any) -> str:
    """1 September 2026: the GOV.UK date style."""
    if not value:
        return ""
    return date_format(value, "j F Y")


def _govuk_datetime(value: Any) -> str:
    if not value:
        return ""
    return date_format(value, "j F Y, g:ia").replace(":00", "").replace("12am", "midnight")


def _app_template_dirs() -> list[str]:
    dirs = []
    for config in apps.get_app_configs():
        if config.name.startswith("cme."):
            candidate = Path(config.path) / "templates"
            if candidate.is_dir():
                dirs.append(str(candidate))
    return dirs


def environment(**options: Any) -> Environment:
    options.pop("loader", None)
    env = Environment(  # noqa: S701 - autoescape is set explicitly below
        loader=ChoiceLoader(
            [
                FileSystemLoader(_app_template_dirs()),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        **{**options, "autoescape": True},
    )
    env.globals.update(
        {
            "url": _url,
            "link": _link,
            "static": static,
            "get_messages": get_messages,
            "field": field,
            "error_list": error_list,
        }
    )
    env.filters.update({"govuk_date": _govuk_date, "govuk_datetime": _govuk_datetime})
    return env
