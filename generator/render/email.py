"""An edition's email as bytes: its HTML or its plain-text part, both with as many stories
as keep the HTML part within its limit.

Only a rendering can tell how large an email is (a theme decides its markup, content the
length of every title and excerpt), so the limit is applied here: the whole edition when
it fits, else the most stories that fit, found by halving, the rest left to the edition's
page ("N more stories on the site").
"""

from __future__ import annotations

from ..plan.email import capped
from ..plan.page import EmailFile
from ..plan.views import EmailView
from .jinja import Templates


class EmailRenderer:
    """Renders email parts, deciding once per edition how many stories its email holds."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates
        # Both parts of an edition share one view: the decision, by the view's identity,
        # is made for the first part and reused for the second (the view is kept alive).
        self._fitted: dict[int, tuple[EmailView, EmailView]] = {}
        # The measured part as the last measurement rendered it, so it is not rendered twice.
        self._measured: dict[int, bytes] = {}

    def render(self, payload: EmailFile, origin: str) -> bytes:
        """One part of an edition's email, with the stories its HTML part has room for."""
        email = self.fitted(payload, origin)
        if payload.template == payload.measured:
            made = self._measured.pop(id(payload.email), None)
            if made is not None:
                return made
        return self.templates.render(payload.template, {"email": email}, origin)

    def fitted(self, payload: EmailFile, origin: str) -> EmailView:
        """The edition with the most stories whose HTML part stays within the limit."""
        email = payload.email
        known = self._fitted.get(id(email))
        if known is not None and known[0] is email:
            return known[1]

        made: dict[int, bytes] = {}

        def fits(count: int) -> bool:
            made[count] = self.templates.render(payload.measured, {"email": capped(email, count)}, origin)
            return len(made[count]) <= payload.max_bytes

        kept, too_many = 0, email.count  # none always "fits": the mail is then a link to the page
        if fits(email.count):
            kept = email.count
        while too_many - kept > 1:
            middle = (kept + too_many) // 2
            kept, too_many = (middle, too_many) if fits(middle) else (kept, middle)
        chosen = email if kept == email.count else capped(email, kept)
        self._fitted[id(email)] = (email, chosen)
        if kept in made:
            self._measured[id(email)] = made[kept]
        return chosen
