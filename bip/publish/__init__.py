"""Publish step: unit snapshots, site trees switched in atomically, the build lock, feeds and sitemaps."""
