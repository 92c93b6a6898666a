"""Stage 2, curate: what the site shows, grouped into stories, ranked, and indexed into
topics, sources, days and months."""
