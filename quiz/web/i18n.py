"""The screens' language: the contest's `language`, or `?lang=` on a page.

Templates translate with Jinja's i18n extension (`{{ _("Bảng điểm") }}`,
`{{ _("Câu {n}", n=3) }}`) over the catalogues of `quiz.files.locale`; each
page loads `/i18n/<lang>.js`, which sets `window.QUIZ_I18N` (message id ->
text) for `Quiz.t`; the rules' own words (views, notices, refusals) follow
the contest's language, installed once at start (`use_contest_language`).
A page opened with `?lang=en` shows its own words in English; what the
server composes for every screen alike stays in the contest's language
(docs/i18n.md).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, current_app, request

from quiz.files.locale import DEFAULT, LANGUAGES, catalogue, install


def use_contest_language(language: str) -> None:
    """The rules speak `language` from now on (one contest per process)."""
    install(language)


def page_language() -> str:
    """`?lang=` when it names a language we have, else the contest's."""
    asked = request.args.get("lang", "") if request else ""
    if asked in LANGUAGES:
        return asked
    return str(current_app.config.get("QUIZ_LANGUAGE", DEFAULT))


def _gettext(message: str, **fields: Any) -> str:
    found = catalogue(page_language()).get(message) or message
    return found.format(**fields) if fields else found


def _ngettext(singular: str, plural: str, n: int, **fields: Any) -> str:
    return _gettext(singular if n == 1 else plural, n=n, **fields)


def register(app: Flask, language: str) -> None:
    """Templates' `_()` and `lang`, the scripts' catalogue, the rules' words."""
    app.config["QUIZ_LANGUAGE"] = language if language in LANGUAGES else DEFAULT
    use_contest_language(app.config["QUIZ_LANGUAGE"])
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=False
    )
    app.jinja_env.globals["lang"] = page_language

    @app.get("/i18n/<lang>.js")
    def scripts_catalogue(lang: str) -> Response:
        """`window.QUIZ_I18N` for `Quiz.t`: the messages whose text differs from
        their id (Vietnamese needs almost none)."""
        if lang not in LANGUAGES:
            return Response("unknown language", status=404, mimetype="text/plain")
        table = {k: v for k, v in catalogue(lang).items() if v != k}
        body = "window.QUIZ_I18N = " + json.dumps(table, ensure_ascii=False, sort_keys=True) + ";\n"
        response = Response(body, mimetype="text/javascript")
        response.headers["Cache-Control"] = "no-cache"
        return response
