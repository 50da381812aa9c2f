"""The peer-learning exchange: sessions and a submissions store, anonymised group views, peer matching, reports.

`Store` keeps sessions in SQLite under R2KIT_HOME; `views` and `matching` are pure functions on answers tables,
usable with or without a store (for example on `r2kit.samples.load_samples()`).
"""

from .store import Store, home

__all__ = ["Store", "home"]
