"""Publish step: write outputs into a staging folder, then swap it with the live one atomically."""
