"""Stage 1, load: find the content files, read them, and turn each into a validated `Item`
or the problems that keep it out; read the data folder of topics and sources.

`discover` is the one rule for which files are content; `item` loads one file:
`frontmatter` reads it safely, `validate` checks every field, `markdown` renders the
curator's summary; `sitedata` reads the data folder; `assets` finds site images the site
does not have.
"""
