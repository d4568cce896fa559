"""Signals of the talent database, for caches kept by apps below it (the dashboard's aggregates).

Sent inside the writing transaction; a receiver that starts background work does so on commit.
The audit trail is never written from a signal (STYLE.md): services write it themselves.
"""

from django.dispatch import Signal

# Persons or their certificates changed (derived fields refreshed, a person edited, a roster merged).
persons_changed = Signal()
