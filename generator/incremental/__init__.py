"""What a rebuild can skip: cached items, a build with nothing to do, pages that cannot
have changed."""
