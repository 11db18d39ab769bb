"""A submission's comment thread: the comments, a text area and a button, with
pattern-matching ids ({"type": "comment-body", "kind": ..., "id": ...}) so that any page
may show several threads; ``callbacks.comments`` adds a comment and redraws the list."""
from __future__ import annotations

from dash import dcc, html

from dashboard.errors import UserError
from dashboard.i18n import fmt_datetime
from dashboard.i18n import gettext as _
from dashboard.permissions import Actor
from dashboard.workflow import comments

BODY = "comment-body"
SEND = "comment-send"
LIST = "comment-list"
FEEDBACK = "comment-feedback"


def thread_id(part: str, kind_name: str, item_id: int) -> dict:
    return {"type": part, "kind": kind_name, "id": item_id}


def role_names() -> dict[str, str]:
    return {"secretariat": _("Secretariat"), "focal_point": _("Focal point"), "committee": _("Committee"),
            "admin": _("Administrator")}


def comment_items(rows: list[comments.CommentRow], lang: str) -> html.Ol | html.P:
    if not rows:
        return html.P(_("No comments yet."), className="small text-body-secondary mb-2")
    roles = role_names()
    return html.Ol([
        html.Li([
            html.Div([html.Strong(row["author"], dir="auto"),
                      html.Span(f" · {roles.get(row['author_role'], row['author_role'])} · "
                                f"{fmt_datetime(row['created_at'], lang)}", className="text-body-secondary")],
                     className="small"),
            html.P(row["body"], className="mb-0", dir="auto", style={"whiteSpace": "pre-wrap"},
                   **{"data-user-text": "true"}),
        ], className="border-start border-3 ps-2 mb-2")
        for row in rows
    ], className="list-unstyled mb-2")


def comment_thread(session, actor: Actor, kind_name: str, item_id: int, lang: str) -> html.Section | None:
    """The thread of one measure update ("measure_update") or indicator value
    ("indicator_value"); None for someone who may not read it. The form shows only to
    those who may write (the submission's entity and the secretariat)."""
    try:
        rows = comments.comments_for(session, actor, kind_name, item_id)
    except UserError:
        return None
    body_id = thread_id(BODY, kind_name, item_id)
    children = [
        html.H3(_("Comments"), className="h6"),
        html.Div(comment_items(rows, lang), id=thread_id(LIST, kind_name, item_id)),
    ]
    if comments.can_comment(session, actor, kind_name, item_id):
        children += [
            # The text area inside its label: a pattern-matching id has no plain "for".
            html.Label([html.Span(_("Add a comment"), className="d-block small mb-1"),
                        dcc.Textarea(id=body_id, value="", rows=2, maxLength=comments.MAX_COMMENT,
                                     className="form-control")], className="w-100"),
            html.Div(id=thread_id(FEEDBACK, kind_name, item_id), className="small", **{"aria-live": "polite"}),
            html.Button(_("Send the comment"), id=thread_id(SEND, kind_name, item_id), n_clicks=0, type="button",
                        className="btn btn-outline-secondary btn-sm mt-2"),
        ]
    return html.Section(children, className="border-top pt-2 mt-3",
                        **{"aria-label": _("Comments")})
