"""Stage 3, plan: every page of the site, its address, output file and what it shows."""
