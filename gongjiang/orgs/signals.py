"""Signals of the organisations app, for caches kept by apps below it (the dashboard's aggregates
count staff by their employer's kind and flags). Sent inside the writing transaction."""

from django.dispatch import Signal

# Organisations' kind or flags may have changed (an edit or an import that updated rows).
organisations_changed = Signal()
