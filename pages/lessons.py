"""Lessons: guided "predict, run, explain" experiments in the order of the course."""

from playground.ui.routing import ensure_app_router
from playground.ui.views import lessons

ensure_app_router()
lessons.page()
