"""Real-browser tests (Chromium from Debian via Playwright): accessibility, keyboard, reflow, print, requests.

A package so that this folder's conftest.py does not clash with tests/conftest.py.
"""
