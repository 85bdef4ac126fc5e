"""The pages' templates: tacli serve's own (templates/web/) over the site's
(templates/site/), in one Jinja environment made as every tacli environment is
(tacli.output.templates.make_environment: the sandbox, every value escaped).

The web's `_base.html.j2` replaces the site's, so that the site's dashboard,
engagement page, TAST reports and agendas render inside the app's frame
(its navigation, its scripts) from the same templates and the same views as
`tacli site`: the app never tells another story than the static site.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def web_templates() -> Path:
    from tacli.output.templates import shipped_templates

    return shipped_templates() / "web"


@lru_cache(maxsize=1)
def environment():
    from tacli.output.site import json_data, paragraphs
    from tacli.output.templates import HTML, make_environment, shipped_templates

    return make_environment([web_templates(), shipped_templates() / "site"], HTML, filters={"paragraphs": paragraphs, "json_data": json_data, "raw": field_value})


def field_value(value):
    """A form field's value (a text area's, an input's): escaped for HTML and
    nothing more. Everywhere else the pages show a control or bidirectional
    character as an escape (textformat.visible); in a field that goes back to
    the file, the text must be the file's own, or saving it would change it."""
    from markupsafe import Markup, escape

    return Markup(escape("" if value is None else str(value)))


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


def assets_folder() -> Path:
    """The files the pages load (htmx, the app's script and styles), shipped in the package."""
    return Path(__file__).with_name("static")
