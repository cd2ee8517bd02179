"""Benchmarks: ``python -m playground.bench`` (``suite``); ``ui`` drives the live app in Chromium."""
