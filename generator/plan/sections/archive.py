"""The archive: every month by year, and each month's stories, paginated."""

from __future__ import annotations

from ... import urls
from ...model import Site
from ..context import PlanContext
from ..layout import html_page, list_pages, meta, unit
from ..page import Page, Unit
from ..present import month_view, week_view
from ..section import Section
from ..views import EditionView, MonthView, YearView


def pages(ctx: PlanContext, site: Site) -> list[Page | Unit]:
    title = ctx.config.title
    planned: list[Page | Unit] = []
    views = [month_view(ctx, month) for month in site.months]
    for month, view in zip(site.months, views, strict=True):
        planned.append(
            unit(
                list_pages,
                ctx,
                urls.month_path(month.year, month.month),
                month.stories,
                "month.html",
                view.name,
                f"The stories of {view.name}, curated by {title}.",
                "archive",
                f"archive of {view.name}",
                ctx.site_feeds,
                month=view,
            )
        )
    years: dict[int, list[MonthView]] = {}
    for month, view in zip(site.months, views, strict=True):
        years.setdefault(month.year, []).append(view)
    weeks: dict[int, list[EditionView]] = {}
    for week in site.weeks:
        weeks.setdefault(week.year, []).append(week_view(ctx, week))
    index_meta = meta(ctx, urls.ARCHIVE, "Archive", f"Every month of {title}.", "archive")
    planned.append(
        html_page(
            ctx,
            urls.ARCHIVE,
            "archive.html",
            index_meta,
            "archive index",
            ctx.newest,
            years=tuple(YearView(year, tuple(months), tuple(weeks.get(year, ()))) for year, months in years.items()),
        )
    )
    return planned


SECTION = Section("archive", urls.ARCHIVE, "Archive", pages)
