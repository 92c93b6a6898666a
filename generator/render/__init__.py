"""Stage 4, render: turn planned pages into bytes.

`renderer` picks the writer for each page (`jinja` for HTML; `feeds`, `sitemap` and
`search_index` for the files other programs read); `theme` decides where templates and
static files come from.
"""
